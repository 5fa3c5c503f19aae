/**
 * `npm run demo` end to end, without Redis: the real command is spawned, its first lines are
 * read (exactly the two the issue names, after npm's echo of the command), then headless Chromium
 * logs in to the staff desk with the printed password on a 1024×768 tablet, while a citizen in a
 * second browser asks for a person in the web chat; staff claim, reply, think twice about
 * closing, hand back, and find the citizen's report in the reports list, apart from tickets, and
 * answer it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';

let demo: ChildProcess | undefined;
let staffBrowser: TestBrowser;
let citizenBrowser: TestBrowser;
let lines: string[] = [];
let stderr = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'info' };
  // Nothing from the test run's environment may give the demo a Redis or a token.
  delete env.REDIS_URL;
  delete env.STAFF_SESSION_SECRET;
  demo = spawn('npm', ['run', 'demo'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  demo.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not print its lines in time; stdout: ${out}; stderr: ${stderr}`)), 45_000);
    demo!.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (/staff console: .*\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    demo!.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${stderr}`)));
  });
  lines = out.split('\n');
  staffBrowser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  citizenBrowser = await launchBrowser({ viewport: { width: 390, height: 844 } });
}, 90_000);

afterAll(async () => {
  await staffBrowser?.close();
  await citizenBrowser?.close();
  if (demo?.pid) process.kill(-demo.pid, 'SIGTERM');
});

describe('npm run demo', () => {
  it('prints exactly the two lines first, on 127.0.0.1 (.npmrc keeps npm from echoing the command)', () => {
    expect(lines[0]).toMatch(/^web chat: http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines[1]).toMatch(/^staff console: http:\/\/127\.0\.0\.1:\d+\/staff {2}user: demo {2}password: [a-z2-9]{14}$/);
    // Log lines go to stderr, never between the demo's lines on stdout.
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
  });

  it('a citizen asks for a person in the web chat; staff on a tablet log in, claim, reply, hand back, and read the report — no Redis', async () => {
    const own = lines.filter((l) => l.startsWith('staff console:'))[0]!;
    const [, staffUrl, password] = /^staff console: (\S+) {2}user: demo {2}password: (\S+)$/.exec(own)!;
    const base = staffUrl!.replace(/\/staff$/, '');
    const errors: string[] = [];

    const staff = await staffBrowser.context.newPage();
    staff.on('pageerror', (e) => errors.push(`staff: ${e.message}`));
    await staff.goto(staffUrl!);
    await staff.fill('#username', 'demo');
    await staff.fill('#password', password!);
    await staff.click('#login-button');
    await staff.waitForSelector('#app:not(.hidden)');
    expect(await staff.locator('[data-testid=demo]').textContent()).toContain('Bản chạy thử');
    await staff.waitForFunction(() => document.body.dataset.live === 'open');

    const citizen = await citizenBrowser.context.newPage();
    citizen.on('pageerror', (e) => errors.push(`citizen: ${e.message}`));
    await citizen.goto(`${base}/`);
    await citizen.locator('.msg.bot', { hasText: 'Xin chào' }).waitFor();
    await citizen.fill('#text', 'gặp cán bộ');
    await citizen.press('#text', 'Enter');
    // Queued (in office hours) or queued for the next opening: either way a ticket, and a way on.
    await citizen.locator('.msg.bot', { hasText: /vị trí số 1|ngoài giờ làm việc/ }).waitFor();
    expect(await citizen.locator('.msg.bot', { hasText: 'đã có trong hàng chờ' }).count()).toBe(0);
    await citizen.locator('.choices button', { hasText: 'Hủy yêu cầu' }).waitFor();

    // The ticket shows up on the desk without a reload.
    const item = staff.locator('[data-ticket]');
    await item.first().waitFor();
    await item.first().click();
    await staff.waitForSelector('[data-testid=ticket]:not(.hidden)');
    // Both sides of what led here are in the transcript.
    await staff.locator('#transcript .msg.citizen', { hasText: 'gặp cán bộ' }).waitFor();
    await staff.locator('#transcript .msg.bot').first().waitFor();
    await staff.click('[data-testid=claim]');
    await staff.waitForFunction(() => document.activeElement?.id === 'reply');
    await citizen.locator('.msg', { hasText: 'Cán bộ Demo đã tiếp nhận' }).waitFor();

    // Usable on a 1024×768 tablet: nothing wider than the screen, the actions and the reply box in view.
    expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    for (const id of ['claim', 'hand-back', 'close', 'send', 'reply']) {
      const box = await staff.locator(`[data-testid=${id}]`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(1024);
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(768);
    }

    await staff.fill('[data-testid=reply]', 'Chào anh/chị, tôi là cán bộ phường ạ.');
    await staff.click('[data-testid=send]');
    await citizen.locator('.msg', { hasText: 'tôi là cán bộ phường' }).waitFor();
    await staff.screenshot({ path: '/tmp/staff-desk-ticket-tablet.png' });

    // "Kết thúc" asks first; "Không" keeps the chat.
    await staff.click('[data-testid=close]');
    await staff.locator('[data-testid=confirm-close]').waitFor();
    await staff.click('#confirm-no');
    expect(await staff.locator('[data-testid=confirm-close]').isVisible()).toBe(false);
    expect(await citizen.locator('.msg', { hasText: 'đánh giá' }).count()).toBe(0);

    await staff.click('[data-testid=hand-back]');
    await citizen.locator('.msg', { hasText: 'trợ lý tự động' }).waitFor();
    await expect.poll(() => staff.locator('[data-ticket]').count()).toBe(0);

    // The citizen reports a problem; it is listed apart from tickets.
    await citizen.fill('#text', 'menu');
    await citizen.press('#text', 'Enter');
    await citizen.locator('.choices button', { hasText: 'Phản ánh, báo lỗi' }).last().click();
    await citizen.locator('.msg.bot', { hasText: 'mô tả ngắn gọn' }).waitFor();
    await citizen.fill('#text', 'Đèn đường trước nhà số 12 hẻm 5 bị hỏng một tuần nay');
    await citizen.press('#text', 'Enter');
    await citizen.locator('.choices button', { hasText: 'Không cần' }).last().click();
    await citizen.locator('.msg.bot', { hasText: 'Phản ánh đã được lưu' }).waitFor();

    await staff.click('[data-testid=tab-reports]');
    const report = staff.locator('[data-report]', { hasText: 'Đèn đường trước nhà số 12' });
    await report.waitFor();
    expect(await staff.locator('[data-ticket]').count()).toBe(0);
    await report.click();
    await staff.locator('[data-testid=report-text]', { hasText: 'Đèn đường trước nhà số 12' }).waitFor();
    await expect.poll(() => report.textContent()).toContain('Đã xem');
    await staff.fill('#resolve-reply', 'Phường đã báo điện lực sửa đèn ạ.');
    await staff.click('[data-testid=resolve]');
    await citizen.locator('.msg', { hasText: 'Phường đã báo điện lực' }).waitFor();
    await expect.poll(() => report.textContent()).toContain('Đã xử lý');
    expect(errors).toEqual([]);
    await staff.screenshot({ path: '/tmp/staff-desk-tablet.png' });
  });
});
