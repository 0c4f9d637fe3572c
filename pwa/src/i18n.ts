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
  nav_assess: ['Tự đánh giá', 'Self-assessment'],
  assess_title: ['Tự đánh giá “Cộng đồng học tập”', '“Learning Community” self-assessment'],
  level_reached: ['Mức độ đạt được', 'Level reached'],
  level_n: ['Mức độ {n}', 'Level {n}'],
  level_zero: ['Chưa đạt mức độ nào', 'No level reached yet'],
  level_max: ['Cao nhất: mức độ {n}', 'Highest: level {n}'],
  missing_for: ['Còn thiếu để đạt mức độ {n} ({k} chỉ tiêu)', 'Still missing for level {n} ({k} indicators)'],
  all_met: ['Đã đạt mức độ cao nhất.', 'The highest level is reached.'],
  s_met: ['Đạt', 'Met'],
  s_unmet: ['Chưa đạt', 'Not met'],
  s_no_data: ['Chưa có dữ liệu', 'No data'],
  recognized: ['Được công nhận', 'Recognised'],
  target: ['Kế hoạch', 'Target'],
  behind: ['Chậm so với kế hoạch', 'Behind plan'],
  criterion_n: ['Tiêu chí {c}', 'Criterion {c}'],
  checklist: ['Các tiêu chí và chỉ tiêu', 'Criteria and indicators'],
  answer: ['Trả lời', 'Answer'],
  edit_answer: ['Sửa câu trả lời', 'Edit answer'],
  close: ['Đóng', 'Close'],
  ans_question: ['Đơn vị đã thực hiện chỉ tiêu này chưa?', 'Has the unit fulfilled this indicator?'],
  ans_yes: ['Có — đạt', 'Yes — met'],
  ans_no: ['Không — chưa đạt', 'No — not met'],
  self_answer: ['Tự đánh giá: {a}', 'Self-assessed: {a}'],
  evidence: ['Minh chứng', 'Evidence'],
  evidence_new: ['Số hiệu văn bản minh chứng (ví dụ: QĐ 12/QĐ-UBND)', 'Evidence document number (e.g. QĐ 12/QĐ-UBND)'],
  evidence_add: ['Thêm minh chứng', 'Add evidence'],
  evidence_remove: ['Bỏ minh chứng {e}', 'Remove evidence {e}'],
  evidence_none: ['Chưa có minh chứng.', 'No evidence yet.'],
  evidence_needed: ['Cần ít nhất một minh chứng thì chỉ tiêu mới được tính là đạt.', 'At least one evidence item is needed for the indicator to count as met.'],
  comment: ['Ghi chú', 'Comment'],
  save: ['Lưu câu trả lời', 'Save answer'],
  saving: ['Đang lưu…', 'Saving…'],
  saved_at: ['Đã lưu lúc {t}. Kết quả đã được tính lại.', 'Saved at {t}. The results were recalculated.'],
  save_offline: ['Cần có mạng để lưu câu trả lời. Câu trả lời chưa được lưu.', 'Saving needs a network connection. The answer is not saved.'],
  choose_answer: ['Chọn Có hoặc Không.', 'Choose Yes or No.'],
  level_pick: ['Mức độ đạt', 'Level reached'],
  level_opt_zero: ['0 — chưa đạt chuẩn', '0 — standard not met'],
  value_year: ['Năm {y}', 'Year {y}'],
  number_invalid: ['Nhập một số, ví dụ 45.000.000 hoặc 12,5.', 'Enter a number, e.g. 45,000,000 or 12.5.'],
  answered_by: ['Trả lời bởi {u} lúc {t}', 'Answered by {u} at {t}'],
  v_entered: ['Đã nhập: mức độ {a} · yêu cầu: mức độ {b}', 'Entered: level {a} · required: level {b}'],
  v_not_entered: ['Chưa nhập · yêu cầu: mức độ {b}', 'Not entered · required: level {b}'],
  v_children: ['{c}/{n} đơn vị đạt mức độ {l} trở lên: {s}% / {m}%', '{c}/{n} units at level {l} or higher: {s}% / {m}%'],
  v_previous: ['Năm {y}: {a} · năm {p}: {b}', '{y}: {a} · {p}: {b}'],
  read_only: ['Chỉ xem: chỉ cán bộ của chính đơn vị này được trả lời.', 'Read only: only officers of this unit can answer.'],
  no_assessment: ['Cấp đơn vị này không tự đánh giá.', 'This unit level does not self-assess.'],
  confirmed_legend: ['số thôn đã được xác nhận', 'villages confirmed'],
  level_col: ['Mức độ', 'Level'],
  open_assess: ['Xem bảng tự đánh giá', 'Open the self-assessment'],
  assess_of: ['Tự đánh giá của {u}: {l}', 'Self-assessment of {u}: {l}'],
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
