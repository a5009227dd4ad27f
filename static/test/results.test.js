import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { seesDashboard } from '../src/ui/dashboard.js';
import { caseUrl } from '../src/ui/tracking-code.js';
import { en } from '../src/i18n-en.js';
import { th } from '../src/i18n-th.js';

describe('tracking code', () => {
  it('opens the public case page', () => {
    expect(caseUrl('PL-7K4Q-9M2T', 'https://field.example')).toBe('https://field.example/public/case?code=PL-7K4Q-9M2T');
  });

  it('draws a QR code offline that encodes that address', async () => {
    const svg = await QRCode.toString(caseUrl('PL-7K4Q-9M2T', 'https://field.example'), { type: 'svg' });
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

describe('dashboard', () => {
  it('is offered to supervisors and admins only', () => {
    expect(seesDashboard({ user: { role: 'supervisor' } })).toBe(true);
    expect(seesDashboard({ user: { role: 'admin' } })).toBe(true);
    expect(seesDashboard({ user: { role: 'official' } })).toBe(false);
    expect(seesDashboard(null)).toBe(false);
  });

  it('has every string in both languages', () => {
    const keys = (dict) => Object.keys(dict).filter((k) => k.startsWith('dashboard.') || k.startsWith('tracking.')).sort();
    expect(keys(th)).toEqual(keys(en));
    expect(keys(th).length).toBeGreaterThan(30);
  });
});
