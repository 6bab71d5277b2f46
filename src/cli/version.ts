import packageJson from '../../package.json';

/** "flowfence 0.1.0": the version in package.json, bundled into the CLI at build time. */
export const VERSION_TEXT = `flowfence ${packageJson.version}`;
