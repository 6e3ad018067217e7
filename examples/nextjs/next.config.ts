import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// better-auth-task-api is linked from the repository root (file:../..), outside this folder:
// Turbopack and the output tracing may read files up to there, and no higher.
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

const nextConfig: NextConfig = {
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  poweredByHeader: false,
};

export default nextConfig;
