import { describe, expect, it } from 'vitest';
import { filesFromCommandLine } from '../../src/main/launch-files';

describe('files from the command line', () => {
  it('takes the operands after the packaged executable, resolved against the working folder', () => {
    expect(filesFromCommandLine(['/opt/Flowfence/flowfence', 'shop.flowfence', '/data/vpc.log.gz'], { isDefaultApp: false, workingDirectory: '/home/analyst' })).toEqual([
      '/home/analyst/shop.flowfence',
      '/data/vpc.log.gz',
    ]);
  });

  it('skips the app folder Electron was started with in development', () => {
    expect(filesFromCommandLine(['/usr/lib/electron', '.', 'work.flowfence'], { isDefaultApp: true, workingDirectory: '/repo' })).toEqual(['/repo/work.flowfence']);
  });

  it("ignores switches, including those Chromium adds to a second instance's line, and empty operands", () => {
    expect(
      filesFromCommandLine(['/opt/Flowfence/flowfence', '--no-sandbox', '--allow-file-access-from-files', '', '-psn_0_12345', './-odd.flowfence'], {
        isDefaultApp: false,
        workingDirectory: '/w',
      }),
    ).toEqual(['/w/-odd.flowfence']);
  });

  it('reads file URLs (Linux desktop entries pass %U) and ignores other URLs', () => {
    expect(
      filesFromCommandLine(['/opt/Flowfence/flowfence', 'file:///home/analyst/R%26D%20work.flowfence', 'https://example.com/x.flowfence', 'file://otherhost/share/x.flowfence'], {
        isDefaultApp: false,
        workingDirectory: '/',
      }),
    ).toEqual(['/home/analyst/R&D work.flowfence']);
  });

  it('opens nothing when started plainly', () => {
    expect(filesFromCommandLine(['/opt/Flowfence/flowfence'], { isDefaultApp: false, workingDirectory: '/' })).toEqual([]);
  });
});
