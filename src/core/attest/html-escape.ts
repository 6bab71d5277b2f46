/** Text for HTML element content and double-quoted attributes: every character HTML gives a meaning to is an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => `&#${character.charCodeAt(0)};`);
}
