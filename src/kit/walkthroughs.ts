/**
 * @module Five scripted walkthroughs for a neighbourhood meeting: what the presenter types and
 * what the audience will see. They run on `npm run demo` (its web chat, linked from /staff/kit),
 * and a test plays every one through the real flows and catalog, so a script never promises what
 * the assistant no longer says.
 */

export interface WalkthroughTurn {
  /** What the presenter types (or the deep link's payload, for `start`). */
  type: string;
  /** `start`: opened from a poster's QR code (`/?start=<type>`); `text`: typed in the chat. */
  kind: 'start' | 'text';
  /** Words the audience will see in the answer. */
  sees: string[];
}

export interface Walkthrough {
  id: string;
  title: string;
  /** One sentence for the presenter: what this shows the audience. */
  point: string;
  turns: WalkthroughTurn[];
}

export const WALKTHROUGHS: readonly Walkthrough[] = [
  {
    id: 'tim-bang-loi-thuong',
    title: 'Hỏi bằng lời thường, không dấu',
    point: 'Người dân gõ như nhắn tin cho người quen, trợ lý vẫn hiểu và đưa ra các thủ tục gần nhất để chọn.',
    turns: [
      { kind: 'text', type: 'dk ks cho be', sees: ['Anh/chị muốn hỏi thủ tục nào', 'Đăng ký khai sinh'] },
      { kind: 'text', type: '1', sees: ['Đăng ký khai sinh', 'Lệ phí', 'Nộp trực tuyến'] },
    ],
  },
  {
    id: 'quet-ma-qr',
    title: 'Quét mã QR trên áp phích',
    point: 'Mã QR mở thẳng thủ tục: không phải tìm, không phải gõ.',
    turns: [{ kind: 'start', type: 'khai-sinh.hop-to-dan-pho', sees: ['Đăng ký khai sinh', 'Nơi giải quyết', 'Thời gian giải quyết'] }],
  },
  {
    id: 'kiem-tra-giay-to',
    title: 'Kiểm tra giấy tờ trước khi đi',
    point: 'Trợ lý hỏi từng giấy tờ một, cuối cùng nói đúng giấy còn thiếu.',
    turns: [
      { kind: 'start', type: 'ket-hon', sees: ['Đăng ký kết hôn'] },
      { kind: 'text', type: 'kiểm tra giấy tờ', sees: ['hỏi lần lượt', 'Anh/chị đã có giấy này chưa'] },
    ],
  },
  {
    id: 'nop-truc-tuyen',
    title: 'Nộp hồ sơ trực tuyến đến cùng',
    point: 'Từng bước trên cổng dịch vụ công, đăng nhập VNeID mức 2, rồi bấm “Đã nộp xong”.',
    turns: [
      { kind: 'start', type: 'khai-sinh', sees: ['Đăng ký khai sinh'] },
      { kind: 'text', type: 'nộp trực tuyến', sees: ['VNeID mức độ 2', 'Thanh toán', 'Đã nộp xong'] },
      { kind: 'text', type: 'đã nộp xong', sees: ['Cảm ơn anh/chị đã nộp hồ sơ trực tuyến'] },
    ],
  },
  {
    id: 'le-phi-khong-tien-mat',
    title: 'Nộp lệ phí không dùng tiền mặt',
    point: 'Lệ phí trả ngay trên cổng bằng ngân hàng hoặc ví điện tử; không chuyển khoản theo mã QR người lạ gửi.',
    turns: [
      { kind: 'text', type: 'thanh toán lệ phí', sees: ['Thanh toán phí, lệ phí trực tuyến'] },
      { kind: 'text', type: 'đúng', sees: ['Thanh toán phí, lệ phí trực tuyến'] },
      { kind: 'text', type: 'nộp trực tuyến', sees: ['ngân hàng hoặc ví điện tử', 'biên lai điện tử'] },
    ],
  },
];
