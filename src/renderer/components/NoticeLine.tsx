import { useAppStore } from '../store/app-store';
import { selectNotice } from '../store/selectors';

export function NoticeLine() {
  const notice = useAppStore(selectNotice);
  const dismiss = useAppStore((state) => state.noticeDismissed);
  if (notice === null) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="button ghost" onClick={dismiss} aria-label="Dismiss message">
        ×
      </button>
    </div>
  );
}
