import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** UV_THREADPOOL_SIZE as the service leaves it at start, given these settings. */
function poolSize(env: Record<string, string>): string {
  const script = `require(${JSON.stringify(join(__dirname, 'threadpool.js'))});
    process.stdout.write(process.env.UV_THREADPOOL_SIZE)`;
  return execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

describe("libuv's pool size", () => {
  it('is one thread for the database by default', () => {
    assert.equal(poolSize({}), '1');
    assert.equal(poolSize({ SMTP_URL: '' }), '1');
  });

  it('has a second thread when mail goes to a server named by host name (its lookups)', () => {
    assert.equal(poolSize({ SMTP_URL: 'smtp://mail.example.org:587' }), '2');
    assert.equal(poolSize({ SMTP_URL: 'smtps://user:pass@localhost' }), '2');
    assert.equal(poolSize({ SMTP_URL: 'smtp://127.0.0.1:2525' }), '1');
    assert.equal(poolSize({ SMTP_URL: 'smtp://[::1]:2525' }), '1');
  });

  it("leaves an operator's UV_THREADPOOL_SIZE as it is", () => {
    assert.equal(poolSize({ UV_THREADPOOL_SIZE: '8' }), '8');
    assert.equal(poolSize({ UV_THREADPOOL_SIZE: '3', SMTP_URL: 'smtp://mail.example.org' }), '3');
  });
});
