/**
 * Unit tests of src/server/auth/passwords.ts and password-policy.ts (the rest of the auth
 * modules: auth-units.test.ts), against hand-written expectations and published test vectors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { MIN_ZXCVBN_SCORE, passwordProblem } from '../../src/server/auth/password-policy.ts';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  parseStoredHash,
  PRODUCTION_SCRYPT_LOG2N,
  scryptOptions,
  verifyPassword,
} from '../../src/server/auth/passwords.ts';

const MiB = 1024 * 1024;

// zxcvbn's own warnings are quoted as @zxcvbn-ts/language-en words them.
describe('password policy', () => {
  const TOO_EASY = 'use a passphrase of several unrelated words, or a longer, less predictable password';
  const NAME = 'must not contain the username or a part of it; a passphrase of several unrelated words works well';
  const problem = async (password: string, username = 'jane') => (await passwordProblem(password, username))?.message;

  it('length: 12 to 1024 characters, said exactly', async () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.equal(MAX_PASSWORD_LENGTH, 1024);
    assert.equal(await problem('qz7!vRk2#pL'), 'must be at least 12 characters');
    assert.equal(await problem(''), 'must be at least 12 characters');
    assert.equal(await passwordProblem('qz7!vRk2#pLw', 'jane'), undefined, '12 random characters pass');
    // 1024 passes the length rule (and then fails on the username, cheaply); 1025 does not.
    assert.equal(await problem(`${'x'.repeat(1019)}jane!`), NAME);
    assert.deepEqual(await passwordProblem(`${'x'.repeat(1020)}jane!`, 'jane'), { path: 'password', message: 'must be at most 1024 characters' });
  });

  it('the username, or a part of it of 3+ characters, in any case or spelled with separators', async () => {
    const u = 'kim_lee@clinic-one.org';
    for (const part of ['kim', 'lee', 'clinic', 'one', 'org']) assert.equal(await problem(`quiet ${part.toUpperCase()} harbour lantern`, u), NAME, part);
    assert.equal(await problem('quiet harbour K-I-M lantern', u), NAME, 'separators inside the password are ignored');
    // "ab.cd": no part is long enough, but the whole name, its dot dropped, is in the password.
    assert.equal(await problem('abcd quiet harbour lantern', 'ab.cd'), NAME);
    assert.equal(await problem('xx ab.cd quiet harbour', 'ab.cd'), NAME);
    assert.equal(await problem('ab quiet harbour lantern cd', 'ab.cd'), undefined, 'two-letter parts are allowed');
    assert.equal(await problem('Z-O-Ë rules the moor', 'zoë.brontë'), NAME, 'letters beyond ASCII');
    assert.equal(await problem('R-2-D-2 quiet harbour lantern', 'r2d2'), NAME, 'digits are kept');
    assert.equal(await problem('thunderpoliticsx', 'thunder.x'), NAME);
    assert.equal(await problem('m4rg4r3t-th0rnbury', 'margaret.thornbury'), undefined, 'not contained: zxcvbn decides (score 3)');
  });

  it('too easy to guess: zxcvbn below score 3, with its warning when it has one', async () => {
    assert.equal(MIN_ZXCVBN_SCORE, 3);
    const easy = (why?: string) => `is too easy to guess${why ? ` (${why})` : ''}; ${TOO_EASY}`;
    const TABLE: [string, string | undefined][] = [
      ['password1234', easy('This is similar to a commonly used password')],
      ['1qaz2wsx3edc', easy('This is a commonly used password')],
      ['            ', easy('Repeated characters like "aaa" are easy to guess')],
      ['abcdefghijkl', easy('Common character sequences like "abc" are easy to guess')],
      ["hjkl;'uiop[]", easy('Straight rows of keys on your keyboard are easy to guess')],
      ['wednesdaypasta', easy()], // score 1, English words, no warning
      ['blanketwindow', easy()], // score 2
      ['thunderpoliticsx', undefined], // score 3: enough
      ['tableriverlamp', undefined], // score 3
      ['correct horse battery', undefined], // score 4
      ['retroplan2026', easy('There should not be any personal or page related data')],
    ];
    for (const [password, expected] of TABLE) assert.equal(await problem(password), expected, password);
    // The username's parts are zxcvbn user inputs too, so its l33t spellings are caught.
    assert.equal(await problem('m4rg4r3tth0rnbury', 'margaret.thornbury'), easy('There should not be any personal or page related data'));
    assert.equal(await problem('m4rg4r3tth0rnbury', 'jane'), undefined);
  });

  it('always refuses on the field "password"', async () => {
    for (const password of ['short', 'password1234', 'jane quiet harbour lantern']) {
      assert.equal((await passwordProblem(password, 'jane'))?.path, 'password');
    }
  });
});

describe('password hashing (scrypt)', () => {
  // RFC 7914 §12 test vectors; the stored key is the first 32 bytes of the 64-byte output
  // (scrypt's final PBKDF2 step makes a shorter output a prefix of a longer one).
  const RFC_1 = '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442'; // "", "", N=16, r=1, p=1
  const RFC_2 = 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162'; // "password", "NaCl", N=1024, r=8, p=16
  const RFC_3 = '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2'; // "pleaseletmein", "SodiumChloride", N=16384, r=8, p=1
  const b64 = (s: string, enc: BufferEncoding = 'utf8') => Buffer.from(s, enc).toString('base64');

  it('verifies the RFC 7914 vectors from their stored form (cost read from the hash)', async () => {
    assert.equal(await verifyPassword('', `scrypt$4$1$1$$${b64(RFC_1, 'hex')}`), true);
    assert.equal(await verifyPassword('password', `scrypt$10$8$16$${b64('NaCl')}$${b64(RFC_2, 'hex')}`), true);
    assert.equal(await verifyPassword('pleaseletmein', `scrypt$14$8$1$${b64('SodiumChloride')}$${b64(RFC_3, 'hex')}`), true);
    assert.equal(await verifyPassword('pleaseletmeIn', `scrypt$14$8$1$${b64('SodiumChloride')}$${b64(RFC_3, 'hex')}`), false, 'wrong password');
    assert.equal(await verifyPassword('password', `scrypt$10$8$15$${b64('NaCl')}$${b64(RFC_2, 'hex')}`), false, 'another p');
    assert.equal(await verifyPassword('password', `scrypt$10$8$16$${b64('NaCL')}$${b64(RFC_2, 'hex')}`), false, 'another salt');
  });

  it('hashPassword: scrypt$<log2 N>$8$1$<32-byte salt>$<32-byte key>, a fresh salt each time', async () => {
    assert.equal(PRODUCTION_SCRYPT_LOG2N, 17);
    const stored = await hashPassword('correct horse battery', 10);
    const parts = stored.split('$');
    assert.deepEqual(parts.slice(0, 4), ['scrypt', '10', '8', '1']);
    assert.equal(parts.length, 6);
    const salt = Buffer.from(parts[4]!, 'base64');
    assert.equal(salt.length, 32);
    const key = Buffer.from(parts[5]!, 'base64');
    assert.deepEqual(key, scryptSync('correct horse battery', salt, 32, { N: 1024, r: 8, p: 1 }));
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.notEqual(await hashPassword('correct horse battery', 10), stored);
  });

  it('the password is compared in Unicode NFC: a composed and a decomposed é are one password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait!', 4);
    assert.equal(await verifyPassword('cafe\u0301 au lait!', stored), true);
    const key = Buffer.from(stored.split('$')[5]!, 'base64');
    const salt = Buffer.from(stored.split('$')[4]!, 'base64');
    assert.deepEqual(key, scryptSync('caf\u00e9 au lait!', salt, 32, { N: 16, r: 8, p: 1 }));
  });

  it('a malformed or out-of-range stored hash is "no match", never an error', async () => {
    const key = b64(RFC_1, 'hex');
    const malformed = [
      '',
      'plaintext',
      `scrypt$4$1$1$${key}`, // 5 fields
      `scrypt$4$1$1$$${key}$`, // 7 fields
      `bcrypt$4$1$1$$${key}`,
      `$4$1$1$$${key}`,
      `scrypt$0$1$1$$${key}`,
      `scrypt$-4$1$1$$${key}`,
      `scrypt$4.5$1$1$$${key}`,
      `scrypt$x$1$1$$${key}`,
      `scrypt$$1$1$$${key}`,
      `scrypt$4$0$1$$${key}`,
      `scrypt$4$1.5$1$$${key}`,
      `scrypt$4$1$0$$${key}`,
      `scrypt$4$1$-1$$${key}`,
      `scrypt$23$1$1$$${key}`,
      `scrypt$4$1$1$$${b64(RFC_1.slice(0, 32), 'hex')}`, // a 16-byte key
      `scrypt$4$1$1$$`, // no key
    ];
    for (const stored of malformed) assert.equal(await verifyPassword('', stored), false, stored);
  });

  it('parseStoredHash: fields and the N ≤ 2^22 bound', () => {
    assert.deepEqual(parseStoredHash(`scrypt$22$8$1$${b64('NaCl')}$${b64('key')}`), { log2n: 22, r: 8, p: 1, salt: Buffer.from('NaCl'), key: Buffer.from('key') });
    assert.deepEqual(parseStoredHash(`scrypt$1$2$3$$`), { log2n: 1, r: 2, p: 3, salt: Buffer.alloc(0), key: Buffer.alloc(0) });
    assert.equal(parseStoredHash(`scrypt$23$8$1$${b64('NaCl')}$${b64('key')}`), undefined);
    assert.equal(parseStoredHash(`scrypt$0$8$1$$`), undefined);
  });

  it('scryptOptions: N = 2^log2n; maxmem 256 MiB, or 256·N·r when that is more', () => {
    assert.deepEqual(scryptOptions(4, 1, 1), { N: 16, r: 1, p: 1, maxmem: 256 * MiB });
    assert.deepEqual(scryptOptions(17, 8, 1), { N: 131072, r: 8, p: 1, maxmem: 256 * MiB });
    assert.deepEqual(scryptOptions(18, 8, 2), { N: 262144, r: 8, p: 2, maxmem: 512 * MiB });
    assert.deepEqual(scryptOptions(17, 16, 1), { N: 131072, r: 16, p: 1, maxmem: 512 * MiB });
  });
});
