import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

const SECRET = 's'.repeat(32);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to port 8000, all interfaces, embedded SQLite and a localhost auth URL', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(config.database).toEqual({
      kind: 'sqlite',
      path: expect.stringMatching(/data\/app\.sqlite$/),
    });
    expect(config.auth).toMatchObject({
      mode: 'embedded-key-set',
      embedded: { url: 'http://localhost:8000', secret: { source: 'development' } },
    });
    expect(config.corsOrigins).toEqual([]);
  });

  it('follows PORT in the default BETTER_AUTH_URL', () => {
    expect(loadConfig({ PORT: '9090' }).auth.embedded?.url).toBe('http://localhost:9090');
  });

  it('reads PostgreSQL (Neon included) from DATABASE_URL', () => {
    const url = 'postgresql://u:p@ep-cool-name.eu-central-1.aws.neon.tech/db?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
      kind: 'postgres',
      url,
      poolSize: 10,
      listenUrl: url,
    });
  });

  it('reads DATABASE_POOL_SIZE, the most connections one instance opens', () => {
    const url = 'postgres://u@db.example.com/db';
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '4' }).database).toMatchObject({
      kind: 'postgres',
      url,
      poolSize: 4,
    });
    for (const size of ['1', '101', 'ten', '4.5']) {
      expect(problemsOf({ DATABASE_URL: url, DATABASE_POOL_SIZE: size })).toEqual([
        expect.stringMatching(/^DATABASE_POOL_SIZE: must be/),
      ]);
    }
  });

  it('splits CORS_ORIGINS and trims the entries', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: ' ', BETTER_AUTH_SECRET: '' }).database.kind).toBe('sqlite');
  });

  it('requires BETTER_AUTH_SECRET and BETTER_AUTH_URL in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^BETTER_AUTH_URL: is required when NODE_ENV=production/),
      expect.stringMatching(/^BETTER_AUTH_SECRET: is required when NODE_ENV=production/),
    ]);
    const config = loadConfig({
      NODE_ENV: 'production',
      BETTER_AUTH_SECRET: SECRET,
      BETTER_AUTH_URL: 'https://api.example.com',
    });
    expect(config.auth.embedded?.secret).toEqual({ source: 'environment', value: SECRET });
  });

  it('reads BETTER_AUTH_URL as an origin, with or without a trailing slash', () => {
    expect(loadConfig({ BETTER_AUTH_URL: 'https://api.example.com/' }).auth.embedded?.url).toBe(
      'https://api.example.com',
    );
    expect(loadConfig({ BETTER_AUTH_URL: 'http://localhost:8080' }).auth.embedded?.url).toBe(
      'http://localhost:8080',
    );
  });

  it.each([
    'https://api.example.com/prefix',
    'https://api.example.com/?x=1',
    'https://a.example#f',
  ])('refuses BETTER_AUTH_URL=%s: Better Auth would answer nowhere', (url) => {
    expect(problemsOf({ BETTER_AUTH_URL: url })).toEqual([
      expect.stringMatching(/^BETTER_AUTH_URL: must be an origin/),
    ]);
  });

  it('names DATABASE_URL without echoing a password that breaks the URL', () => {
    const problems = problemsOf({
      DATABASE_URL: 'postgres://postgres:s3cr/etPW@127.0.0.1:5432/postgres',
    });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: is not a valid URL/)]);
    expect(problems[0]).not.toContain('etPW');
  });

  it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE'])(
    'refuses %s unlike BETTER_AUTH_URL while the embedded Better Auth issues the tokens',
    (name) => {
      expect(
        problemsOf({ BETTER_AUTH_URL: 'https://api.example.com', [name]: 'https://other.example' }),
      ).toEqual([expect.stringMatching(new RegExp(`^${name}: must be BETTER_AUTH_URL or unset`))]);
      const same = loadConfig({
        BETTER_AUTH_URL: 'https://api.example.com',
        [name]: 'https://api.example.com',
      });
      expect(same.auth.issuer).toBe('https://api.example.com');
    },
  );

  it.each([
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '0x1F40' }, 'PORT'],
    [{ PORT: '1e3' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ BETTER_AUTH_URL: 'not a url' }, 'BETTER_AUTH_URL'],
    [{ BETTER_AUTH_URL: 'ftp://example.com' }, 'BETTER_AUTH_URL'],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, 'CORS_ORIGINS'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the variable in %j', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(`${variable}`)).toBe(true);
  });

  it('trusts the embedded Better Auth with EdDSA for 24 hours by default', () => {
    expect(loadConfig({ BETTER_AUTH_URL: 'https://api.example.com' }).auth).toEqual({
      mode: 'embedded-key-set',
      algorithm: 'EdDSA',
      issuer: 'https://api.example.com',
      audience: 'https://api.example.com',
      maxAgeSeconds: 86_400,
      sessionRequired: true,
      embedded: {
        url: 'https://api.example.com',
        secret: { source: 'development' },
        algorithm: 'EdDSA',
        lifetimeSeconds: 86_400,
        passwordChangeKeepsOtherSessions: false,
      },
    });
  });

  it('keeps the other sessions on a password change only with PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS=true', () => {
    const keeps = (value?: string) =>
      loadConfig({ PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS: value }).auth.embedded
        ?.passwordChangeKeepsOtherSessions;
    expect(keeps()).toBe(false);
    expect(keeps('false')).toBe(false);
    expect(keeps('true')).toBe(true);
    expect(problemsOf({ PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS: 'yes' })).toEqual([
      'PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS: must be true or false',
    ]);
  });

  it('points at an external issuer with AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE', () => {
    const auth = loadConfig({
      AUTH_JWT_ALG: 'ES256',
      AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://app.example.com',
      AUTH_AUDIENCE: 'https://api.example.com',
      AUTH_JWT_LIFETIME_SECONDS: '900',
    }).auth;
    expect(auth).toMatchObject({
      mode: 'external-key-set',
      algorithm: 'ES256',
      jwksUrl: 'https://app.example.com/api/auth/jwks',
      issuer: 'https://app.example.com',
      audience: 'https://api.example.com',
      embedded: { lifetimeSeconds: 900 },
    });
  });

  describe('with AUTH_EMBEDDED=false (no Better Auth in this service)', () => {
    const external = {
      AUTH_EMBEDDED: 'false',
      AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://app.example.com',
      NODE_ENV: 'production',
    };

    it('needs no secret with a key set, and serves no page', () => {
      const config = loadConfig(external);
      expect(config.auth).toMatchObject({ mode: 'external-key-set', embedded: null });
      expect(config.auth).not.toHaveProperty('secret');
      expect(config.webUi).toBe(false);
    });

    it('runs the embedded Better Auth and the page by default', () => {
      const config = loadConfig({});
      expect(config.auth.embedded).not.toBeNull();
      expect(config.webUi).toBe(true);
    });

    it.each([
      ['no key set', { AUTH_JWKS_URL: undefined }, 'AUTH_EMBEDDED', /AUTH_JWKS_URL/],
      ['no issuer', { AUTH_ISSUER: undefined }, 'AUTH_ISSUER', /exact iss/],
      ['the page', { WEB_UI: 'true' }, 'WEB_UI', /embedded Better Auth/],
      [
        'HS256 without the secret',
        { AUTH_JWKS_URL: undefined, AUTH_JWT_ALG: 'HS256' },
        'BETTER_AUTH_SECRET',
        /issuer’s secret/,
      ],
    ])('refuses %s, naming the variable', (_case, change, variable, reason) => {
      const problems = problemsOf({ ...external, ...change });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
      expect(problems[0]).toMatch(reason);
    });

    it('takes HS256 with the issuer’s secret', () => {
      const config = loadConfig({
        ...external,
        AUTH_JWKS_URL: undefined,
        AUTH_JWT_ALG: 'HS256',
        BETTER_AUTH_SECRET: SECRET,
      });
      expect(config.auth).toEqual({
        mode: 'external-hs256',
        algorithm: 'HS256',
        secret: SECRET,
        issuer: 'https://app.example.com',
        audience: 'http://localhost:8000',
        maxAgeSeconds: 86_400,
        sessionRequired: false,
        embedded: null,
      });
    });
  });

  describe('JWT_MAX_AGE_SECONDS and the sessions tokens must name', () => {
    const external = {
      AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://app.example.com',
    };

    it.each([
      ['the embedded key set', {}, 'embedded-key-set', true],
      ['the embedded HS256 secret', { AUTH_JWT_ALG: 'HS256' }, 'embedded-hs256', false],
      ['an external key set', external, 'external-key-set', false],
      [
        'an external HS256 secret',
        {
          AUTH_EMBEDDED: 'false',
          AUTH_JWT_ALG: 'HS256',
          BETTER_AUTH_SECRET: SECRET,
          AUTH_ISSUER: 'x',
        },
        'external-hs256',
        false,
      ],
    ])('bounds tokens at 24 hours with %s (%s), requiring sid: %s', (_, env, mode, sid) => {
      expect(loadConfig(env).auth).toMatchObject({
        mode,
        maxAgeSeconds: 86_400,
        sessionRequired: sid,
      });
    });

    it('follows the embedded issuer’s lifetime when unset, and takes a value of its own', () => {
      expect(loadConfig({ AUTH_JWT_LIFETIME_SECONDS: '900' }).auth.maxAgeSeconds).toBe(900);
      expect(
        loadConfig({ AUTH_JWT_LIFETIME_SECONDS: '172800', JWT_MAX_AGE_SECONDS: '172800' }).auth
          .maxAgeSeconds,
      ).toBe(172_800);
      expect(loadConfig({ ...external, JWT_MAX_AGE_SECONDS: '600' }).auth.maxAgeSeconds).toBe(600);
      // An external issuer's tokens are bounded at 24 hours, whatever the embedded one issues.
      expect(loadConfig({ ...external, AUTH_JWT_LIFETIME_SECONDS: '900' }).auth.maxAgeSeconds).toBe(
        86_400,
      );
    });

    it('refuses an embedded issuer that would issue tokens the API refuses, naming both', () => {
      const problems = problemsOf({
        AUTH_JWT_LIFETIME_SECONDS: '7200',
        JWT_MAX_AGE_SECONDS: '3600',
      });
      expect(problems).toEqual([
        expect.stringMatching(
          /^AUTH_JWT_LIFETIME_SECONDS: must be at most JWT_MAX_AGE_SECONDS \(3600\)/,
        ),
      ]);
      expect(
        problemsOf({
          AUTH_JWT_ALG: 'HS256',
          AUTH_JWT_LIFETIME_SECONDS: '7200',
          JWT_MAX_AGE_SECONDS: '3600',
        }),
      ).toHaveLength(1);
      // Beside an external issuer, the embedded one's tokens are refused anyway (another iss).
      const beside = {
        ...external,
        AUTH_JWT_LIFETIME_SECONDS: '7200',
        JWT_MAX_AGE_SECONDS: '3600',
      };
      expect(loadConfig(beside).auth.maxAgeSeconds).toBe(3600);
    });

    it.each([
      [{ JWT_MAX_AGE_SECONDS: '4' }, /must be at least 5 seconds/],
      [{ JWT_MAX_AGE_SECONDS: '604801' }, /must be at most 604800 seconds/],
      [{ JWT_MAX_AGE_SECONDS: 'a day' }, /must be a whole number of seconds/],
    ])('refuses %j, naming the variable', (env, reason) => {
      const problems = problemsOf({ ...external, ...env });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^JWT_MAX_AGE_SECONDS: /);
      expect(problems[0]).toMatch(reason);
    });
  });

  it('reads trusted proxies as addresses and CIDR ranges', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10, ::1' }).trustedProxies).toEqual(
      [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: '192.168.1.10', prefix: null, family: 'ipv4' },
        { address: '::1', prefix: null, family: 'ipv6' },
      ],
    );
  });

  it.each([
    [{ AUTH_JWT_ALG: 'none' }, 'AUTH_JWT_ALG'],
    [{ AUTH_JWT_ALG: 'HS512' }, 'AUTH_JWT_ALG'],
    [{ AUTH_JWKS_URL: 'file:///etc/keys' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWT_ALG: 'HS256', AUTH_JWKS_URL: 'https://a.example/jwks' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWT_LIFETIME_SECONDS: '4' }, 'AUTH_JWT_LIFETIME_SECONDS'],
    [{ WEB_UI: 'yes' }, 'WEB_UI'],
    [{ TRUSTED_PROXIES: 'proxy.internal' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
  ])('names the issuer variable in %j', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(variable)).toBe(true);
  });

  it('serves the API documentation unless API_DOCS=false', () => {
    expect(loadConfig({}).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
    for (const value of ['no', '0', 'FALSE', 'off']) {
      expect(problemsOf({ API_DOCS: value })).toEqual(['API_DOCS: must be true or false']);
    }
  });

  it('sends Strict-Transport-Security for an https BETTER_AUTH_URL, with subdomains unless HSTS_INCLUDE_SUBDOMAINS=false', () => {
    const https = { BETTER_AUTH_URL: 'https://api.example.com' };
    expect(loadConfig({}).strictTransportSecurity).toBeNull();
    expect(loadConfig({ HSTS_INCLUDE_SUBDOMAINS: 'true' }).strictTransportSecurity).toBeNull();
    expect(loadConfig(https).strictTransportSecurity).toEqual({ includeSubDomains: true });
    expect(
      loadConfig({ ...https, HSTS_INCLUDE_SUBDOMAINS: 'false' }).strictTransportSecurity,
    ).toEqual({ includeSubDomains: false });
    for (const value of ['no', '0', 'FALSE', 'off']) {
      expect(problemsOf({ ...https, HSTS_INCLUDE_SUBDOMAINS: value })).toEqual([
        'HSTS_INCLUDE_SUBDOMAINS: must be true or false',
      ]);
    }
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', DATABASE_URL: 'mysql://x' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL']);
  });
});
