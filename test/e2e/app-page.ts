import type { Locator, Page } from 'playwright-core';

/** The ingest page as a user sees it: by roles and labels, not by component internals. */
export class AppPage {
  constructor(readonly page: Page) {}

  async upload(paths: readonly string[]): Promise<void> {
    await this.page.getByLabel('Flow export files').setInputFiles([...paths]);
  }

  progressBar(): Locator {
    return this.page.getByRole('progressbar', { name: 'Analysis progress' });
  }

  cancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Cancel' });
  }

  openButton(): Locator {
    return this.page.getByRole('button', { name: 'Open files…' });
  }

  status(text: string): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  /** Until the run ends well: an analysis completed, or a workspace opened. */
  async waitForCompletion(timeoutMs: number): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /Analysis complete|Workspace .* opened/ }).waitFor({ timeout: timeoutMs });
  }

  /** Waits until the engine is reading flows and at least `fraction` through. */
  async waitForProgress(fraction: number, timeoutMs: number): Promise<number> {
    const handle = await this.page.waitForFunction(
      (minimum) => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Analysis progress"]');
        return bar !== null && bar.value >= minimum ? bar.value : null;
      },
      fraction,
      { polling: 50, timeout: timeoutMs },
    );
    return (await handle.jsonValue()) as number;
  }

  row(path: string): Locator {
    return this.page.locator('.inputs > table > tbody > tr').filter({ has: this.page.getByRole('rowheader', { name: path, exact: true }) });
  }

  async rowCells(path: string): Promise<{ format: string; read: string; accepted: string; rejected: string; issues: string; isError: boolean }> {
    const row = this.row(path);
    const cell = (column: string) => row.locator(`[data-column="${column}"]`).innerText();
    return {
      format: (await row.locator('[data-column="format"] .format-tag').innerText()).trim(),
      read: (await cell('read')).trim(),
      accepted: (await cell('accepted')).trim(),
      rejected: (await cell('rejected')).trim(),
      issues: await cell('issues'),
      isError: (await row.getAttribute('class'))?.includes('row-error') ?? false,
    };
  }

  async total(key: string): Promise<string> {
    return (await this.page.locator(`[data-total="${key}"] dd`).innerText()).trim();
  }

  async rowCount(): Promise<number> {
    return this.page.locator('.inputs > table > tbody > tr').count();
  }
}
