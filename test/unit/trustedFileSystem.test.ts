/**
 * WorkspaceGuard (restricted mode) on an in-memory tree: how paths resolve, as the kernel would,
 * and that nothing outside the workspace is ever looked at (every lstat/readlink is recorded).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceGuard, type GuardPrimitives } from '../../server/src/trustedFileSystem';

/** path → 'dir' | 'file' | { link: target } */
type Tree = Record<string, 'dir' | 'file' | { link: string }>;

function guardOn(tree: Tree, roots: string[], mounts: string[] = []) {
  const looked: string[] = [];
  const entry = (path: string) => {
    looked.push(path);
    const node = tree[path];
    if (!node) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return node;
  };
  const primitives: GuardPrimitives = {
    lstat: (path) => {
      const node = entry(path);
      return { isSymbolicLink: () => typeof node === 'object', isDirectory: () => node === 'dir' };
    },
    readlink: (path) => {
      const node = entry(path);
      if (typeof node !== 'object') throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      return node.link;
    },
    realpath: (path) => (path === '/home/u/proj' ? '/data/proj' : path),
    mountPoints: () => mounts,
  };
  return { guard: new WorkspaceGuard(() => roots, primitives), looked };
}

const TREE: Tree = {
  '/ws': 'dir',
  '/ws/a.crt': 'file',
  '/ws/sub': 'dir',
  '/ws/sub/b.crt': 'file',
  '/ws/file-link.crt': { link: 'sub/b.crt' },
  '/ws/out-link.crt': { link: '../etc/passwd' },
  '/ws/abs-out': { link: '/etc' },
  '/ws/up': { link: '..' },
  '/ws/back-in': { link: '/ws/sub' },
  '/ws/loop': { link: 'loop' },
  '/ws/mnt': 'dir',
  '/ws/mnt/x.crt': 'file',
};

describe('WorkspaceGuard', () => {
  const cases: [string, string | RegExp][] = [
    ['/ws/a.crt', '/ws/a.crt'],
    ['/ws/./sub//b.crt', '/ws/sub/b.crt'],
    ['/ws/sub/../a.crt', '/ws/a.crt'],
    ['/ws/file-link.crt', '/ws/sub/b.crt'],
    ['/ws/back-in/b.crt', '/ws/sub/b.crt'],
    ['/ws/out-link.crt', /climbs out of the workspace with "\.\." \(the link \/ws\/out-link\.crt points to \.\.\/etc\/passwd\)/],
    ['/ws/abs-out/passwd', /leads outside the workspace \(the link \/ws\/abs-out points to \/etc\)/],
    ['/ws/up/etc/passwd', /climbs out/],
    ['/ws/../etc/passwd', /climbs out/],
    ['/etc/passwd', /is outside the workspace/],
    ['/proc/self/root/ws/a.crt', /is outside the workspace/],
    ['/ws2/a.crt', /is outside the workspace/],
    ['/ws/loop', /more than 40 symbolic links/],
    ['/ws/mnt/x.crt', /mount point inside the workspace/],
  ];
  for (const [path, expected] of cases) {
    it(`${path} → ${expected}`, () => {
      const { guard, looked } = guardOn(TREE, ['/ws'], ['/', '/ws/mnt', '/proc']);
      const resolution = guard.resolve(path);
      if (typeof expected === 'string') assert.deepEqual(resolution, { inside: true, path: expected, exists: true });
      else {
        assert.equal(resolution.inside, false);
        assert.match((resolution as { reason: string }).reason, expected);
      }
      assert.deepEqual(looked.filter((p) => p !== '/ws' && !p.startsWith('/ws/')), [], 'nothing outside the workspace was looked at');
    });
  }

  it('a missing file inside is inside and absent; a file used as a folder too', () => {
    const { guard } = guardOn(TREE, ['/ws']);
    assert.deepEqual(guard.resolve('/ws/nope/x.crt'), { inside: true, path: '/ws/nope/x.crt', exists: false });
    assert.deepEqual(guard.resolve('/ws/a.crt/x'), { inside: true, path: '/ws/a.crt/x', exists: false });
  });

  it('a workspace folder opened through a link: its given and its real path are both inside', () => {
    const tree: Tree = { '/data/proj': 'dir', '/data/proj/a.crt': 'file' };
    const { guard } = guardOn(tree, ['/home/u/proj']);
    assert.deepEqual(guard.resolve('/home/u/proj/a.crt'), { inside: true, path: '/data/proj/a.crt', exists: true });
    assert.deepEqual(guard.resolve('/data/proj/a.crt'), { inside: true, path: '/data/proj/a.crt', exists: true });
    assert.equal(guard.resolve('/home/u/other').inside, false);
  });

  it('mount points: only those strictly below a workspace folder are borders', () => {
    const { guard } = guardOn(TREE, ['/ws'], ['/', '/ws', '/ws/mnt', '/elsewhere']);
    assert.equal(guard.isMountPoint('/ws/mnt'), true);
    assert.equal(guard.isMountPoint('/ws'), false);
    assert.equal(guard.isMountPoint('/elsewhere'), false);
    assert.deepEqual(guard.resolve('/ws/a.crt'), { inside: true, path: '/ws/a.crt', exists: true });
  });
});
