import type { FlowfenceDesktopApi } from '../../shared/ipc';

declare global {
  interface Window {
    /** Set by the Electron preload script; undefined when the page runs in a plain browser. */
    readonly flowfence?: FlowfenceDesktopApi;
  }
}

/** The desktop shell's functions, or undefined in a browser (the end-to-end test runs there). */
export function desktopApi(): FlowfenceDesktopApi | undefined {
  return window.flowfence;
}
