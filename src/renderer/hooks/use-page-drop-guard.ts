import { useEffect } from 'react';

/**
 * A file dropped anywhere but the drop zone would make the browser open it in
 * place of the app; the page refuses such drops (the desktop shell also
 * blocks the navigation).
 */
export function usePageDropGuard(): void {
  useEffect(() => {
    const refuse = (event: DragEvent) => {
      if (!event.defaultPrevented) event.preventDefault();
    };
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);
}
