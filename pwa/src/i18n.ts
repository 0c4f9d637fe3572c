// Vietnamese first, English beside it; framework labels arrive as {vi, en} and are picked the same way.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

export type Lang = 'vi' | 'en'

const S = {
  app_title: ['Xây dựng xã hội học tập', 'Learning society'],
  switch_lang: ['English', 'Tiếng Việt'],
  online: ['Có mạng', 'Online'],
  offline: ['Mất mạng — dữ liệu được lưu trên máy', 'Offline — data is kept on this device'],
  login: ['Đăng nhập', 'Log in'],
  logout: ['Đăng xuất', 'Log out'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  login_offline: ['Cần có mạng để đăng nhập lần đầu.', 'A network connection is needed to log in the first time.'],
  login_failed: ['Đăng nhập không thành công.', 'Login failed.'],
  session_expired: ['Phiên đăng nhập đã hết hạn. Đăng nhập lại để gửi dữ liệu; dữ liệu trên máy vẫn được giữ.', 'Your session has expired. Log in again to send data; data on this device is kept.'],
  logout_pending: ['Còn {n} báo cáo chưa gửi. Đăng xuất sẽ xoá chúng khỏi máy. Tiếp tục?', '{n} reports are not sent yet. Logging out deletes them from this device. Continue?'],
  nav_tally: ['Biểu tổng hợp', 'Tally form'],
  nav_outbox: ['Hàng đợi gửi', 'Outbox'],
  nav_overview: ['Tổng quan', 'Overview'],
  nav_villages: ['Các thôn', 'Villages'],
  year: ['Năm', 'Year'],
  loading: ['Đang tải…', 'Loading…'],
  no_framework: ['Chưa tải được biểu mẫu. Hãy kết nối mạng một lần để tải.', 'The form is not loaded yet. Connect once to download it.'],
  last_year: ['Năm trước', 'Last year'],
  required_mark: ['bắt buộc', 'required'],
  optional_mark: ['không bắt buộc', 'optional'],
  yes: ['Có', 'Yes'],
  no: ['Không', 'No'],
  draft_saved: ['Bản nháp đã lưu trên máy', 'Draft saved on this device'],
  submit: ['Gửi báo cáo', 'Submit report'],
  fix_errors: ['Còn {n} ô cần sửa trước khi gửi.', '{n} fields need fixing before sending.'],
  queued: ['Đã đưa vào hàng đợi. Báo cáo sẽ tự gửi khi có mạng.', 'Queued. The report is sent automatically when online.'],
  jump_warning: ['Chênh lệch lớn so với năm trước — kiểm tra lại', 'Far from last year — please check'],
  current_status: ['Báo cáo năm {y} trên máy chủ:', 'The {y} report on the server:'],
  tally_title: ['Biểu tổng hợp mô hình học tập cấp thôn', 'Village learning-model tally'],
  use_sent: ['Điền lại từ bản đã gửi', 'Fill in from the sent report'],
  return_reason: ['Lý do trả lại', 'Reason for return'],
  st_pending: ['Đang chờ gửi', 'Pending'],
  st_sent: ['Đã gửi', 'Sent'],
  st_rejected: ['Bị từ chối', 'Rejected'],
  st_missing: ['Chưa báo cáo', 'Missing'],
  st_submitted: ['Đã nộp', 'Submitted'],
  st_confirmed: ['Đã xác nhận', 'Confirmed'],
  st_returned: ['Bị trả lại', 'Returned'],
  st_flagged: ['Cần kiểm tra', 'Flagged'],
  outbox_empty: ['Không có báo cáo nào trong hàng đợi.', 'Nothing in the outbox.'],
  send_now: ['Gửi ngay', 'Send now'],
  correct_resend: ['Sửa và gửi lại', 'Correct and resend'],
  remove: ['Xoá khỏi danh sách', 'Remove from list'],
  attempts: ['Đã thử {n} lần; lần sau lúc {t}', 'Tried {n} times; next try at {t}'],
  waiting_network: ['Đang chờ mạng', 'Waiting for network'],
  receipt: ['Máy chủ nhận lúc {t}, lần sửa {r}', 'Received {t}, revision {r}'],
  flags: ['Cảnh báo', 'Flags'],
  confirm: ['Xác nhận', 'Confirm'],
  return: ['Trả lại', 'Return'],
  reason_needed: ['Nhập lý do trả lại', 'Enter a reason for returning'],
  submitted_by: ['Người gửi', 'Submitted by'],
  details: ['Chi tiết', 'Details'],
  stale: ['Dữ liệu lưu lúc {t} (đang mất mạng)', 'Data saved at {t} (offline)'],
  unit: ['Đơn vị', 'Unit'],
  reported: ['Đã báo cáo', 'Reported'],
  confirmed_n: ['Đã xác nhận', 'Confirmed'],
  download_csv: ['Tải CSV', 'Download CSV'],
  levels_chart: ['Số đơn vị theo mức độ đạt', 'Units by level reached'],
  level_none: ['Chưa đạt', 'Not reached'],
  no_children: ['Không có đơn vị trực thuộc.', 'No child units.'],
  error: ['Có lỗi', 'Error'],
  retry: ['Thử lại', 'Retry'],
  back: ['Quay lại', 'Back'],
  rate_shown: ['Tỷ lệ hiển thị trong bảng', 'Rate shown in the table'],
  totals: ['Tổng hợp', 'Totals'],
} as const satisfies Record<string, readonly [string, string]>

export type Key = keyof typeof S
export type T = (key: Key, vars?: Record<string, string | number>) => string

export const LangContext = createContext<Lang>('vi')

export function translate(lang: Lang, key: Key, vars?: Record<string, string | number>): string {
  let text: string = S[key][lang === 'vi' ? 0 : 1]
  for (const [k, v] of Object.entries(vars ?? {})) text = text.replace(`{${k}}`, String(v))
  return text
}

export function useLang(): { lang: Lang; t: T; pick: (text: { vi: string; en: string }) => string } {
  const lang = useContext(LangContext)
  return {
    lang,
    t: (key, vars) => translate(lang, key, vars),
    pick: (text) => (lang === 'vi' ? text.vi : text.en) || text.vi,
  }
}

export function formatTime(lang: Lang, ms: number | string): string {
  return new Date(ms).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' })
}

export function formatNumber(lang: Lang, n: number): string {
  return n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')
}
