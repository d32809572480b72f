/** /etc/passwd: uid -> login name and home. The first entry for a uid wins, as getpwuid(3) finds it. */
export function parsePasswd(text: string): Map<number, { name: string; home: string }> {
  const users = new Map<number, { name: string; home: string }>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 6 && /^\d+$/.test(f[2]!) && !users.has(Number(f[2]))) users.set(Number(f[2]), { name: f[0]!, home: f[5]! });
  }
  return users;
}
