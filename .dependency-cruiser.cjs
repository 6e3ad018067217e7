/** The dependency rule of the hexagon, checked on every `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain', dependencyTypesNot: ['core'] },
    },
    {
      name: 'application-depends-on-domain-only',
      comment: 'src/application imports only the domain (and Node built-ins).',
      severity: 'error',
      from: { path: '^src/application' },
      to: { pathNot: '^src/(domain|application)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'interfaces-do-not-reach-into-infrastructure',
      comment: 'HTTP handlers call use cases; only the composition root knows the adapters.',
      severity: 'error',
      from: { path: '^src/interfaces' },
      to: { path: '^src/infrastructure' },
    },
    {
      name: 'infrastructure-does-not-know-http',
      severity: 'error',
      from: { path: '^src/infrastructure', pathNot: '^src/infrastructure/di' },
      to: { path: '^src/interfaces' },
    },
    {
      name: 'metrics-library-stays-in-its-adapter',
      comment:
        'prom-client implements the telemetry ports and the HTTP recorder: only src/infrastructure/observability imports it.',
      severity: 'error',
      from: { path: '^src', pathNot: '^src/infrastructure/observability' },
      to: { path: 'node_modules/prom-client' },
    },
    {
      name: 'tracing-library-stays-in-its-adapter',
      comment:
        'OpenTelemetry implements the Tracer port and the request tracer: only its adapter imports it.',
      severity: 'error',
      from: {
        path: '^src',
        pathNot: '^src/infrastructure/observability/open-telemetry-tracing\\.ts$',
      },
      to: { path: 'node_modules/@opentelemetry' },
    },
    {
      name: 'tracing-loaded-only-when-configured',
      comment:
        'The OpenTelemetry adapter is imported dynamically (main.ts, when OTEL_* configure tracing), so an untraced service loads none of it.',
      severity: 'error',
      from: {},
      to: {
        path: '^src/infrastructure/observability/open-telemetry-tracing\\.ts$',
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
    {
      name: 'client-runs-anywhere',
      comment: 'src/client runs in browsers and Node: it shares only types with the server.',
      severity: 'error',
      from: { path: '^src/client' },
      to: { path: '^src/(?!client)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-has-no-node-imports',
      severity: 'error',
      from: { path: '^src/(client|web)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
