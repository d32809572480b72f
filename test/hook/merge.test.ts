import { describe, expect, it } from 'vitest';
import { addHook, isOurCommand, removeHook } from '../../src/hook/merge.js';

const OURS = '"/usr/bin/node" "/opt/claude-reaper/bin/claude-reaper.js" hook run';
const where = 'settings /x/settings.json';

const settings = () => ({
  model: 'opus',
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/guard.sh' }] }],
    SessionEnd: [{ matcher: 'logout', hooks: [{ type: 'command', command: 'notify-send bye', timeout: 5 }] }],
  },
  permissions: { allow: ['Bash(ls:*)'] },
});

describe('addHook', () => {
  it('appends one matcher group for every end reason, after the hooks already there', () => {
    const { settings: next, changed } = addHook(settings(), OURS, where);
    expect(changed).toBe(true);
    expect(next).toEqual({
      ...settings(),
      hooks: {
        ...settings().hooks,
        SessionEnd: [...settings().hooks.SessionEnd, { matcher: '', hooks: [{ type: 'command', command: OURS }] }],
      },
    });
    expect(Object.keys(next)).toEqual(['model', 'hooks', 'permissions']);
  });

  it('changes nothing when our hook is there already, and updates its command when the paths moved', () => {
    const once = addHook(settings(), OURS, where).settings;
    expect(addHook(once, OURS, where)).toEqual({ settings: once, changed: false });
    const moved = OURS.replace('/opt/', '/srv/');
    const updated = addHook(once, moved, where);
    expect(updated.changed).toBe(true);
    expect((updated.settings.hooks as { SessionEnd: { hooks: { command: string }[] }[] }).SessionEnd[1]!.hooks[0]!.command).toBe(moved);
  });

  it('creates hooks and SessionEnd when missing, and leaves the input untouched', () => {
    const input = { theme: 'dark' };
    expect(addHook(input, OURS, where).settings).toEqual({ theme: 'dark', hooks: { SessionEnd: [{ matcher: '', hooks: [{ type: 'command', command: OURS }] }] } });
    expect(input).toEqual({ theme: 'dark' });
  });

  it('refuses hooks of the wrong shape instead of overwriting them', () => {
    expect(() => addHook({ hooks: [] }, OURS, where)).toThrow('settings /x/settings.json: "hooks" is not an object; nothing was written');
    expect(() => addHook({ hooks: { SessionEnd: {} } }, OURS, where)).toThrow(/"hooks.SessionEnd" is not an array/);
  });
});

describe('removeHook', () => {
  it('removes exactly ours, and what only held ours', () => {
    expect(removeHook(addHook(settings(), OURS, where).settings, where)).toEqual({ settings: settings(), changed: true });
    expect(removeHook(addHook({ a: 1 }, OURS, where).settings, where)).toEqual({ settings: { a: 1 }, changed: true });
  });

  it('keeps a group it shares with another hook', () => {
    const shared = { hooks: { SessionEnd: [{ matcher: '', hooks: [{ type: 'command', command: 'echo hi' }, { type: 'command', command: OURS }] }] } };
    expect(removeHook(shared, where).settings).toEqual({ hooks: { SessionEnd: [{ matcher: '', hooks: [{ type: 'command', command: 'echo hi' }] }] } });
  });

  it('changes nothing when ours is not there', () => {
    const s = settings();
    expect(removeHook(s, where)).toEqual({ settings: s, changed: false });
  });

  it('knows ours by claude-reaper and `hook run`, not by other hooks that mention it', () => {
    expect(isOurCommand(OURS)).toBe(true);
    expect(isOurCommand('claude-reaper hook run')).toBe(true);
    expect(isOurCommand('claude-reaper scan --json > /tmp/x')).toBe(false);
    expect(isOurCommand('my-hook run')).toBe(false);
    expect(isOurCommand(undefined)).toBe(false);
  });
});
