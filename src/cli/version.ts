/** The package version (see src/version.ts). */
export { VERSION } from '../version.ts';
