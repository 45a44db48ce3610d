/**
 * Dựng lại trang công khai CCHC mỗi khi bảng tính Google Sheets này thay đổi.
 *
 * Cách cài (một lần cho mỗi bảng tính, người làm: cán bộ CNTT):
 *   1. Trong Google Sheets: Tiện ích mở rộng → Apps Script; xóa mã mẫu, dán toàn bộ tệp này, Lưu.
 *   2. Cài đặt dự án (biểu tượng bánh răng) → Thuộc tính tập lệnh → thêm:
 *        GITHUB_REPO  = tên-tổ-chức/tên-kho   (ví dụ ubnd-quang-dien/cchc-cong-khai)
 *        GITHUB_TOKEN = mã truy cập GitHub loại "fine-grained", chỉ cho kho đó, quyền "Contents: Read and write"
 *   3. Chọn hàm caiDat trong thanh công cụ → Chạy → cấp quyền khi được hỏi.
 * Từ đó, mỗi lần sửa bảng, sau khi ngừng sửa khoảng 1 phút, kho GitHub nhận một sự kiện
 * "cchc-sheet-changed" và quy trình (workflow) dựng lại trang. Nhiều lần sửa liên tiếp chỉ gây một lần dựng.
 * Mã truy cập nằm trong Thuộc tính tập lệnh, không nằm trong mã: người chỉ có quyền xem bảng không thấy được.
 */

var GIAY_CHO = 60;                         // chờ ngừng sửa bao nhiêu giây rồi mới gửi
var LOAI_SU_KIEN = 'cchc-sheet-changed';   // trùng với "repository_dispatch: types" của workflow
var HAM_GUI = 'guiYeuCauDungLai';

/** Chạy một lần: tạo trình kích hoạt (trigger) khi sửa và khi đổi cấu trúc bảng. */
function caiDat() {
  ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); });
  var bang = SpreadsheetApp.getActive();
  ScriptApp.newTrigger('khiBangThayDoi').forSpreadsheet(bang).onEdit().create();
  ScriptApp.newTrigger('khiBangThayDoi').forSpreadsheet(bang).onChange().create();
  console.log('Đã cài: mỗi lần sửa bảng, trang sẽ được dựng lại sau khoảng ' + GIAY_CHO + ' giây.');
}

/** Mỗi lần sửa: ghi lại thời điểm, hẹn gửi một lần sau GIAY_CHO giây (nếu chưa hẹn). */
function khiBangThayDoi(e) {
  var khoa = LockService.getScriptLock();
  if (!khoa.tryLock(10000)) return;
  try {
    PropertiesService.getScriptProperties().setProperty('LAN_SUA_CUOI', String(Date.now()));
    if (!daHenGui_()) {
      ScriptApp.newTrigger(HAM_GUI).timeBased().after(GIAY_CHO * 1000).create();
    }
  } finally {
    khoa.releaseLock();
  }
}

/** Gửi yêu cầu dựng lại, nếu đã ngừng sửa đủ lâu; nếu chưa, hẹn lại. */
function guiYeuCauDungLai() {
  xoaHenGui_();  // trước cả khi chờ khóa: một hẹn đã chạy mà còn nằm lại sẽ chặn mọi lần hẹn sau
  var khoa = LockService.getScriptLock();
  if (!khoa.tryLock(10000)) {
    ScriptApp.newTrigger(HAM_GUI).timeBased().after(GIAY_CHO * 1000).create();
    return;
  }
  try {
    var thuocTinh = PropertiesService.getScriptProperties();
    var lanSuaCuoi = Number(thuocTinh.getProperty('LAN_SUA_CUOI') || 0);
    if (Date.now() - lanSuaCuoi < GIAY_CHO * 1000) {
      ScriptApp.newTrigger(HAM_GUI).timeBased().after(GIAY_CHO * 1000).create();
      return;
    }
    var kho = thuocTinh.getProperty('GITHUB_REPO');
    var ma = thuocTinh.getProperty('GITHUB_TOKEN');
    if (!kho || !ma) {
      throw new Error('Thiếu thuộc tính GITHUB_REPO hoặc GITHUB_TOKEN trong Cài đặt dự án.');
    }
    var traLoi = UrlFetchApp.fetch('https://api.github.com/repos/' + kho + '/dispatches', {
      method: 'post',
      contentType: 'application/json',
      headers: {
        'Authorization': 'Bearer ' + ma,
        'Accept': 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28'
      },
      payload: JSON.stringify({
        event_type: LOAI_SU_KIEN,
        client_payload: {
          spreadsheet_id: SpreadsheetApp.getActive().getId(),
          edited_at: new Date(lanSuaCuoi).toISOString()
        }
      }),
      muteHttpExceptions: true
    });
    if (traLoi.getResponseCode() !== 204) {
      // Lần dựng theo lịch (mỗi giờ) sẽ bắt kịp thay đổi này; ghi lỗi để cán bộ CNTT xem trong "Lần thực thi".
      console.error('GitHub trả lời ' + traLoi.getResponseCode() + ': ' + traLoi.getContentText().slice(0, 300));
    }
  } finally {
    khoa.releaseLock();
  }
}

function daHenGui_() {
  return ScriptApp.getProjectTriggers().some(function (t) { return t.getHandlerFunction() === HAM_GUI; });
}

function xoaHenGui_() {
  ScriptApp.getProjectTriggers().forEach(function (t) {
    if (t.getHandlerFunction() === HAM_GUI) ScriptApp.deleteTrigger(t);
  });
}
