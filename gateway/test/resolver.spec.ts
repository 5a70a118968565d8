import { Language, REASON_CODES, REASON_TEXT, REASON_TEXT_ZH } from '@drugtrace/chaincode/domain';
import request from 'supertest';
import { problem } from '../src/common/problem';
import { LedgerUnavailableError } from '../src/fabric/fabric-errors';
import { translator } from '../src/i18n/messages';
import {
  PageLanguage,
  renderProblemPage,
  renderVerdictPage,
  withoutLang,
} from '../src/resolver/verdict-page';
import { createTestApp, TestApp } from './test-app';

const GTIN = '09506000134352';
const BAD_GTIN = '09506000134353';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const view = (language: Language = 'en'): PageLanguage => ({ language, t: translator(language), links: [] });

describe('GET /01/:gtin/10/:lot/21/:serial (public resolver): codes that cannot be checked', () => {
  describe('a malformed code', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await createTestApp({ RESOLVER_RATE_LIMIT: '1000' });
    });
    afterAll(() => sut.close());
    beforeEach(() => jest.clearAllMocks());

    const cases = [
      {
        name: 'a wrong GTIN check digit',
        link: `/01/${BAD_GTIN}/10/A1B2/21/X7K2?17=280630`,
        ai: '01',
        plain: /product number \(GTIN\)/,
      },
      {
        name: 'month 13 in ?17=',
        link: `/01/${GTIN}/10/A1B2/21/X7K2?17=281331`,
        ai: '17',
        plain: /expiry date/,
      },
      {
        name: 'a serial over 20 characters',
        link: `/01/${GTIN}/10/A1B2/21/${'S'.repeat(21)}`,
        ai: '21',
        plain: /serial number/,
      },
      {
        name: 'a lot over 20 characters',
        link: `/01/${GTIN}/10/${'L'.repeat(21)}/21/X7K2`,
        ai: '10',
        plain: /batch number/,
      },
    ];

    it.each(cases)(
      '$name: a 400 HTML page for a browser, in plain words, without a ledger call',
      async ({ link, plain }) => {
        const res = await request(sut.http).get(link).set('Accept', HTML).expect(400);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers.vary).toMatch(/Accept/);
        expect(res.text).toMatch(/^<!doctype html>/);
        expect(res.text).toContain('class="verdict verdict-suspect"');
        expect(res.text).toMatch(plain);
        expect(res.text).toContain('<strong>Do not use this pack.</strong> Show it to your pharmacist.');
        expect(res.text).toMatch(/Reference: [0-9a-f-]{36}/);
        expect(res.text).not.toMatch(/problem\+json|"status":/);
        expect(sut.ledger.evaluate).not.toHaveBeenCalled();
      },
    );

    it.each(cases)('$name: problem+json naming the AI for Accept: application/json', async ({ link, ai }) => {
      const res = await request(sut.http).get(link).set('Accept', 'application/json').expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers.vary).toMatch(/Accept/);
      expect(res.body).toMatchObject({ status: 400, code: 'INVALID', ai, position: expect.any(Number) });
      expect(res.body.requestId).toEqual(expect.any(String));
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });

    it('counts the position from the start of the URL the phone opened', async () => {
      const link = `/01/${BAD_GTIN}/21/X7K2`;
      const res = await request(sut.http)
        .get(link)
        .set('Host', 'id.example')
        .set('Accept', 'application/json');
      const url = `http://id.example${link}`;
      // The GTIN's check digit is the character that is wrong.
      expect(res.body).toMatchObject({ ai: '01', position: url.indexOf(BAD_GTIN) + 13 });
    });

    it('a browser that sends no Accept header gets the page too', async () => {
      const res = await request(sut.http).get(`/01/${BAD_GTIN}/21/X7K2`).unset('Accept').expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it('escapes the code as it appears in the detail, and keeps the caller’s request ID', async () => {
      const res = await request(sut.http)
        .get(`/01/${GTIN}/10/A1B2/21/%3Cb%3Ex%20y`)
        .set('Accept', HTML)
        .set('X-Request-Id', 'req-resolver-1')
        .expect(400);
      expect(res.text).toContain('character &quot; &quot; is not in the GS1 character set');
      expect(res.text).not.toContain('<b>');
      expect(res.text).toContain('Reference: req-resolver-1');
      expect(res.headers['x-request-id']).toBe('req-resolver-1');
    });

    it('a pack whose check fails for want of the ledger: 503 page with Retry-After, no verdict claimed', async () => {
      sut.ledger.evaluate.mockRejectedValue(new LedgerUnavailableError());
      const res = await request(sut.http)
        .get(`/01/${GTIN}/10/A1B2/21/X7K2?17=280630`)
        .set('Accept', HTML)
        .expect(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.text).toContain('This pack could not be checked');
      expect(res.text).toContain('ask your pharmacist');
      expect(res.text).not.toMatch(/Genuine pack/);
    });
  });

  describe('past the rate limit', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await createTestApp({ RESOLVER_RATE_LIMIT: '1' });
    });
    afterAll(() => sut.close());

    it('429: a readable page for a browser, problem+json for a JSON client, both with the limiter’s Retry-After', async () => {
      sut.ledger.evaluate.mockRejectedValue(new Error('not reached in this test'));
      const link = `/01/${BAD_GTIN}/21/X7K2`;
      await request(sut.http).get(link).set('Accept', HTML).expect(400);

      const page = await request(sut.http).get(link).set('Accept', HTML).expect(429);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('class="verdict verdict-unchecked"');
      expect(page.text).toContain('Too many checks');
      const seconds = Number(page.headers['retry-after']);
      expect(seconds).toBeGreaterThan(5);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(page.text).toMatch(new RegExp(`Wait (${seconds}|${seconds - 1}) seconds`));

      const json = await request(sut.http).get(link).set('Accept', 'application/json').expect(429);
      expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(json.headers['retry-after'])).toBeGreaterThan(5);
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });
  });

  describe(renderProblemPage.name, () => {
    it('escapes every text it shows: the detail, the request ID', () => {
      const html = renderProblemPage(
        {
          ...problem(400, 'INVALID', '<script>alert(1)</script> & "quotes"'),
          requestId: '"><img src=x onerror=alert(1)>',
        },
        view(),
      );
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
      expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.toMatch(/<script|<img/);
    });

    it('names the part of the code that is wrong, and says so in general when no AI is named', () => {
      expect(renderProblemPage({ ...problem(400, 'INVALID', 'x'), ai: '17' }, view())).toContain(
        'expiry date',
      );
      expect(renderProblemPage(problem(400, 'INVALID', 'the code is empty'), view())).toContain(
        'This is not a valid medicine pack code.',
      );
    });

    it('without a Retry-After, a rate-limited page asks for a minute', () => {
      expect(renderProblemPage(problem(429, 'RATE_LIMITED', 'x'), view())).toContain('Wait a minute');
      expect(renderProblemPage(problem(429, 'RATE_LIMITED', 'x'), view(), 17)).toContain('Wait 17 seconds');
    });

    it('speaks Simplified Chinese for a Chinese page', () => {
      const html = renderProblemPage({ ...problem(400, 'INVALID', 'x'), ai: '17' }, view('zh-CN'));
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('此码中的有效期不是有效日期。');
      expect(html).toContain('请勿使用此药盒。');
    });
  });

  describe(renderVerdictPage.name, () => {
    it('words every reason as the domain does (the scan page shows the same texts)', () => {
      const code = { gtin: GTIN, lot: 'A1', expiry: '2028-06-30', serial: 'X7K2' };
      for (const reason of REASON_CODES) {
        const html = renderVerdictPage({ verdict: 'SUSPECT', reasons: [reason], code }, view());
        expect(html).toContain(`<h2>Why</h2><ul><li>${REASON_TEXT[reason]}</li></ul>`);
        const zh = renderVerdictPage({ verdict: 'SUSPECT', reasons: [reason], code }, view('zh-CN'));
        expect(zh).toContain(`<h2>原因</h2><ul><li>${REASON_TEXT_ZH[reason]}</li></ul>`);
      }
    });

    it('writes the expiry date the way the page language does (Intl)', () => {
      const code = { gtin: GTIN, lot: 'A1', expiry: '2028-06-30', serial: 'X7K2' };
      expect(renderVerdictPage({ verdict: 'GENUINE', reasons: [], code }, view())).toContain('June 30, 2028');
      expect(renderVerdictPage({ verdict: 'GENUINE', reasons: [], code }, view('zh-CN'))).toContain(
        '2028年6月30日',
      );
    });

    it('drops only the page’s own lang parameter from the scanned link', () => {
      expect(withoutLang('/01/x/21/y?lang=zh-CN&17=280630')).toBe('/01/x/21/y?17=280630');
      expect(withoutLang('/01/x/21/y?17=280630&lang=en')).toBe('/01/x/21/y?17=280630');
      expect(withoutLang('/01/x/21/y?lang=en')).toBe('/01/x/21/y');
      expect(withoutLang('/01/x/21/y?17=280630')).toBe('/01/x/21/y?17=280630');
    });
  });
});
