import type { App, WebContents } from 'electron';

/**
 * Applies to every web contents the app ever creates. The page never needs to
 * navigate (it is one page; loadURL from the main process does not emit these
 * events), so every navigation the page or the user starts is refused: a link,
 * a script setting location, or a file dropped outside the drop zone, which
 * would otherwise replace the app with the file. No new windows, no <webview>.
 */
export function hardenAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
