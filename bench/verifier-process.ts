import { runVerifierMicrobench, type MicrobenchInput } from './verifier-microbench.js';

/**
 * Row 6 in a process of its own, so the verifiers are timed on a fresh heap, as in a service,
 * not in the driver's, which holds every latency of the HTTP rows. Reads its MicrobenchInput as
 * JSON on stdin and prints the results as JSON on stdout.
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MicrobenchInput;
process.stdout.write(JSON.stringify(await runVerifierMicrobench(input)));
