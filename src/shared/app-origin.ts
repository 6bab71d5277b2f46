/**
 * The desktop app serves its renderer from this privileged custom scheme,
 * never from file:// (which would give the page the whole disk as its origin)
 * nor from a web server.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowfence';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
