import { describe, expect, it } from 'vitest';
import { renderMarkupHtml, renderWebMessage } from '../../../src/channels/web/render.js';

describe('web render', () => {
  it('escapes everything, then makes bold and lists', () => {
    expect(renderMarkupHtml('Xin chào <script>alert(1)</script> & "bạn"')).toBe('<p>Xin chào &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;bạn&#34;</p>');
    expect(renderMarkupHtml('**Đăng ký kết hôn** nhé')).toBe('<p><strong>Đăng ký kết hôn</strong> nhé</p>');
    expect(renderMarkupHtml('Giấy tờ:\n- Tờ khai\n- **Căn cước**\nHết')).toBe('<p>Giấy tờ:</p><ul><li>Tờ khai</li><li><strong>Căn cước</strong></li></ul><p>Hết</p>');
    expect(renderMarkupHtml('1. Đăng nhập\n2. Tìm thủ tục')).toBe('<ol><li>Đăng nhập</li><li>Tìm thủ tục</li></ol>');
    expect(renderMarkupHtml('3. Nộp\n4. Trả phí')).toBe('<ol start="3"><li>Nộp</li><li>Trả phí</li></ol>');
    expect(renderMarkupHtml('dòng 1\ndòng 2\n\ndòng 3')).toBe('<p>dòng 1<br>dòng 2</p><p>dòng 3</p>');
  });

  it('keeps escaped and unpaired asterisks literal, and never lets markup make a tag', () => {
    expect(renderMarkupHtml('5 \\* 3 = 15')).toBe('<p>5 * 3 = 15</p>');
    expect(renderMarkupHtml('**a** and ** b')).toBe('<p><strong>a</strong> and ** b</p>');
    expect(renderMarkupHtml('**<img src=x onerror=alert(1)>**')).toBe('<p><strong>&#60;img src=x onerror=alert(1)&#62;</strong></p>');
  });

  it('makes phone numbers tappable, but not longer runs of digits such as a citizen id', () => {
    expect(renderMarkupHtml('gọi đường dây nóng 088 8801 247 (giờ hành chính)')).toBe('<p>gọi đường dây nóng <a href="tel:0888801247">088 8801 247</a> (giờ hành chính)</p>');
    expect(renderMarkupHtml('**Hotline:** 0254.3852.123 hoặc 1900 1234')).toBe('<p><strong>Hotline:</strong> <a href="tel:02543852123">0254.3852.123</a> hoặc <a href="tel:19001234">1900 1234</a></p>');
    expect(renderMarkupHtml('Số căn cước 012345678901, ngày 01/03/2027, lệ phí 1.500.000 đồng')).toBe('<p>Số căn cước 012345678901, ngày 01/03/2027, lệ phí 1.500.000 đồng</p>');
  });

  it('drops markup from labels and keeps only http(s) links', () => {
    const msg = renderWebMessage('b-1', {
      text: 'x',
      choices: [{ id: 'yes', label: '**Đúng**' }],
      links: [
        { label: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
        { label: 'bad', url: 'javascript:alert(1)' },
      ],
    });
    expect(msg).toEqual({ id: 'b-1', html: '<p>x</p>', choices: [{ id: 'yes', label: 'Đúng' }], links: [{ label: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }] });
  });
});
