# pinreset 系統管理中心 — 繁體中文 (介面字串)。錯誤原因與解決方式在 errors.ftl。

## 框架
app-admin-center = 系統管理中心
skip-to-content = 跳至主要內容
header-tenant = 組織
language = 語言
language-apply = 套用
sign-out = 登出
nav-open = 功能表
nav-label = 系統管理中心導覽
nav-home = 首頁
nav-devices = 裝置
nav-device-actions = 裝置動作
nav-profiles = 設定檔
nav-users-groups = 使用者和群組
nav-tenant-admin = 租用戶系統管理
nav-readiness = 重設準備情況
nav-audit = 稽核記錄
nav-settings = 設定
nav-coming-soon = 即將推出

## 登入
sign-in-title = 登入
sign-in-intro = 請使用您的公司帳戶登入，以管理組織的裝置。
sign-in-email = 電子郵件地址
sign-in-password = 密碼
sign-in-submit = 登入
sign-in-wait-until = 您可以在 { $when } 之後再試一次。
sign-in-or = 或
sign-in-sso = 使用 { $organisation } 帳戶登入

## 裝置 › 所有裝置
devices-all = 所有裝置
devices-search = 搜尋
devices-search-placeholder = 依名稱、型號、序號或 IMEI 搜尋
devices-platform = 平台
devices-platform-any = 所有平台
devices-ownership = 擁有權
devices-ownership-any = 所有擁有權
devices-owner-filter = 擁有者：{ $owner }
devices-owner-filter-remove = 顯示所有擁有者的裝置
devices-only-owner = 只顯示此擁有者的裝置
devices-clear = 清除篩選
devices-count = 顯示第 { $first }–{ $last } 台，共 { $total } 台裝置
devices-none = 沒有符合搜尋條件的裝置。
paging-label = 頁面
paging-previous = 上一頁
paging-next = 下一頁
col-name = 裝置名稱
col-owner = 主要使用者
col-platform = 平台
col-os-version = 作業系統版本
col-ownership = 擁有權
col-management = 管理狀態
col-last-check-in = 上次簽入
col-pending = 擱置中的動作
pending-badge = 擱置中
device-no-owner = 沒有主要使用者
device-never = 從未
management-managed = 受管理
management-retired = 已淘汰

## 裝置概觀
device-actions-label = 裝置動作
device-sync = 同步處理
device-why-link = 如何處理
device-pending = 擱置中的動作：{ $count } 個
device-properties = 屬性
prop-name = 裝置名稱
prop-owner = 主要使用者
prop-platform = 平台
prop-os-version = 作業系統版本
prop-os-build = 作業系統組建
prop-model = 型號
prop-serial = 序號
prop-imei = IMEI
prop-ownership = 擁有權
prop-management-mode = 管理模式
prop-join-type = Azure AD 加入類型
prop-management-state = 管理狀態
prop-enrolled = 註冊時間
prop-last-check-in = 上次簽入
device-result-title = 重設密碼
device-result-show = 顯示密碼
device-result-show-pin = 顯示 PIN
device-result-expires = 可顯示至 { $when }
device-result-removed = 裝置的密碼已移除。使用者解除鎖定後會設定新密碼。
device-passcode-label = 暫時密碼
device-pin-label = 鎖定 PIN
device-passcode-hint = 請當面或透過電話告知使用者。解除鎖定後，系統會要求使用者變更密碼。
device-copy = 複製
device-copied = 已複製
device-copy-failed = 請選取密碼並複製
device-expires-in-days = { $days } 天{ $hours ->
        [0] {""}
       *[other] {" "}{ $hours } 小時
    }後到期
device-expires-in-hours = { $hours } 小時後到期
device-expires-in-minutes = { $minutes } 分鐘後到期
device-expired = 已到期
confirm-lock-message = 鎖定畫面上的訊息
confirm-optional = (選填)
confirm-lock-message-placeholder = 例如：此裝置已鎖定，請聯絡 IT 部門。
confirm-lock-phone = 鎖定畫面上的電話號碼
confirm-lock-message-hint = 在裝置解除鎖定前，鎖定畫面會顯示這兩項資訊。
device-history = 動作歷程記錄
device-history-none = 尚未對此裝置要求任何動作。
device-detail = 裝置回報：{ $detail }
device-commands = 命令歷程記錄
device-commands-none = 尚未傳送任何命令到此裝置。
col-action = 動作
col-state = 狀態
col-requested = 要求時間
col-updated = 上次變更
col-outcome = 結果
col-time = 時間
col-direction = 方向
col-detail = 詳細資料
command-sent = 已傳送
command-answered = 裝置回應
notice-queued = 已要求「{ $action }」。裝置會在下次簽入時執行。
notice-synced = 已要求裝置簽入。

## 確認
confirm-title = { $action }：{ $device }
confirm-submit = { $action }
confirm-cancel = 取消
confirm-new-name = 新的裝置名稱
confirm-reset-passcode-temporary = { $device } 目前的密碼會被暫時密碼取代。裝置回應後，您可以在裝置頁面上顯示暫時密碼，為期 7 天。
confirm-reset-passcode-clear = { $device } 的密碼會被移除，且不會設定暫時密碼：使用者不需密碼即可解除鎖定，並設定新密碼。
confirm-remote-lock = { $device } 會立即鎖定。使用者以自己的密碼解除鎖定。
confirm-remote-lock-pin = { $device } 會以此伺服器產生的 6 位數 PIN 鎖定。您可以在裝置頁面上顯示此 PIN。
confirm-reset-device = { $device } 會被抹除並還原為出廠設定，裝置上的所有資料都會遺失。此動作無法復原。
confirm-remove = { $device } 會從管理中移除：公司應用程式、資料和設定都會被刪除，裝置也不再簽入。
confirm-rename = { $device } 會重新命名為下方的名稱。

## 問題與錯誤目錄
problem-title = 發生問題
problem-what-to-do = 如何處理
problem-code = 錯誤碼
problem-back = 返回所有裝置
errors-title = 錯誤目錄
errors-intro = pinreset 回報的所有拒絕與失敗，以及對應的處理方式。

## 引擎的值
action-reset-passcode = 重設密碼
action-remote-lock = 遠端鎖定
action-reset-device = 重設裝置
action-remove = 移除
action-rename = 重新命名
state-requested = 已要求
state-queued = 已排入佇列
state-delivered = 已傳送至裝置
state-acknowledged = 已確認
state-succeeded = 成功
state-failed = 失敗
state-expired = 已過期
state-cancelled = 已取消
result-temporary-passcode = 已設定暫時密碼
result-passcode-removed = 已移除密碼
result-lock-pin = 已使用 PIN 鎖定
result-done = 完成
platform-windows = Windows
platform-windows_mobile = Windows 10 行動裝置版
platform-windows_phone = Windows Phone 8.1
platform-ios = iOS
platform-ipados = iPadOS
platform-macos = macOS
platform-android = Android
ownership-corporate = 公司
ownership-personal = 個人
mode-mdm = MDM
mode-user_enrollment = 使用者註冊
mode-shared_ipad = 共用 iPad
mode-device_admin = 裝置系統管理員
mode-device_owner = 完全受控
mode-work_profile = 工作設定檔
join-azure_ad_joined = 已加入 Azure AD
join-hybrid_azure_ad_joined = 已加入混合式 Azure AD
join-azure_ad_registered = 已註冊 Azure AD
join-not_joined = 未加入
role-tenant_admin = 租用戶系統管理員
role-help_desk = 技術支援人員
role-read_only = 唯讀
role-end_user = 一般使用者
