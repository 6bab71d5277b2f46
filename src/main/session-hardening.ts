import type { Session } from 'electron';
import { isAllowedRequestUrl } from './request-policy';

/**
 * Locks the session down: every request that is not the app's own files is
 * cancelled (no network, no file://), every permission is denied, and the
 * spell checker, which would download dictionaries, is off.
 */
export function hardenSession(session: Session): void {
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url) });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));
  session.setSpellCheckerEnabled(false);
}
