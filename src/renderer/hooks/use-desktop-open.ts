import { useEffect } from 'react';
import { desktopApi } from '../platform/desktop';
import type { DesktopOpenHandlers } from '../platform/desktop-open';
import { connectDesktopOpenRoutes } from '../platform/desktop-open-routes';
import { useAppStore } from '../store/app-store';

/** In the desktop app, the shell's ways of opening files (connectDesktopOpenRoutes); nothing in a browser. */
export function useDesktopOpen(handlers: DesktopOpenHandlers): void {
  useEffect(() => {
    const desktop = desktopApi();
    if (desktop === undefined) return;
    return connectDesktopOpenRoutes(desktop, useAppStore, handlers);
  }, [handlers]);
}
