import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BUILT_BUNDLE, builtCopiesOf, compress, packagedBundle } from './scalar-bundle.js';

/**
 * Part of `npm run build`: Scalar's bundle into dist/docs with its brotli and gzip copies,
 * compressed at their best once here rather than at every start. Nothing is written when the
 * three files already hold the packaged bundle, so a build with nothing changed stays quick.
 */
const bundle = await packagedBundle();
const built = await readFile(BUILT_BUNDLE).catch(() => null);
if (!built?.equals(bundle) || !(await builtCopiesOf(bundle))) {
  const { br, gzip } = await compress(bundle, 'build');
  await mkdir(dirname(BUILT_BUNDLE), { recursive: true });
  await Promise.all([
    writeFile(BUILT_BUNDLE, bundle),
    writeFile(`${BUILT_BUNDLE}.br`, br),
    writeFile(`${BUILT_BUNDLE}.gz`, gzip),
  ]);
}
