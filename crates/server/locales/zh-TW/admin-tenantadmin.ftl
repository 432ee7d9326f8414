# pinreset 系統管理中心 — 繁體中文：租用戶系統管理 (PIN 重設服務、企業應用程式、單一登入)、設定與設定檔。

tenantadmin-save = 儲存

## 租用戶系統管理 › PIN 重設服務
tenantadmin-consent-title = PIN 重設服務
tenantadmin-consent-intro = Windows 密碼重設仰賴此伺服器的兩個應用程式。身為租用戶系統管理員，您代表組織同意每個應用程式可執行的動作。在同意之前，Windows 密碼重設會被拒絕。
tenantadmin-consent-may = 此應用程式可以：
tenantadmin-app-service = PIN 重設服務
tenantadmin-app-service-about = 伺服器端：建立暫時 PIN，並以受保護的形式傳送給裝置。
tenantadmin-perm-service-signin = 以組織的應用程式身分登入，並讀取組織的基本設定檔
tenantadmin-perm-service-reset = 在系統管理員或裝置擁有者要求重設密碼時，為 Windows 裝置建立暫時 PIN
tenantadmin-perm-service-directory = 讀取組織的 Azure AD 目錄識別碼，以指定裝置的 PassportForWork 設定
tenantadmin-app-client = PIN 重設用戶端
tenantadmin-app-client-about = 裝置端：受管理的 Windows 裝置用它來接收新 PIN 並取代目前的 PIN。
tenantadmin-perm-client-signin = 以裝置使用者的身分登入組織的 Windows 裝置
tenantadmin-perm-client-service = 代表該使用者呼叫 PIN 重設服務，以接收新 PIN
tenantadmin-consent-revocable = 您隨時可以在此頁面撤銷此同意；撤銷後 Windows 密碼重設會再次被拒絕。
tenantadmin-consent-accept = 接受
tenantadmin-consent-revoke = 撤銷同意
tenantadmin-consent-missing = 您的組織尚未同意：Windows 密碼重設會被拒絕。
tenantadmin-consent-given = 已由 { $by } 於 { $when } 同意。
tenantadmin-consent-given-unknown = 已同意。
tenantadmin-consent-admins-only = 只有租用戶系統管理員可以接受。
tenantadmin-consent-revoked-notice = 已撤銷同意。在租用戶系統管理員再次接受之前，Windows 密碼重設會被拒絕。
tenantadmin-consent-accepted-notice = 已同意：兩個應用程式都已啟用，可以使用 Windows 密碼重設。
tenantadmin-consent-link = 同意 PIN 重設服務

## 租用戶系統管理 › 企業應用程式
tenantadmin-apps-title = 企業應用程式
tenantadmin-col-app = 應用程式
tenantadmin-col-status = 狀態
tenantadmin-col-consented-by = 同意者
tenantadmin-col-consented-at = 同意時間
tenantadmin-enabled = 已啟用
tenantadmin-not-consented = 未同意

## 租用戶系統管理 › 單一登入
tenantadmin-sso-title = 單一登入
tenantadmin-sso-current = 目前的設定
tenantadmin-sso-none = 尚未設定單一登入：使用者以電子郵件地址和密碼登入。
tenantadmin-sso-issuer = 簽發者 (Issuer)
tenantadmin-sso-client-id = 用戶端識別碼
tenantadmin-sso-client-secret = 用戶端密碼
tenantadmin-sso-login-claim = 登入宣告
tenantadmin-sso-redirect = 要在提供者註冊的重新導向 URI
tenantadmin-sso-redirect-register = 請在您的 OpenID 提供者註冊此重新導向 URI：
tenantadmin-sso-remove = 移除單一登入
tenantadmin-sso-set-up = 設定單一登入
tenantadmin-sso-replace = 取代設定
tenantadmin-sso-secret-hint = 加密儲存，且不會再次顯示：每次儲存時都請輸入。
tenantadmin-sso-claim-hint = 識別使用者的 ID 權杖宣告：登入名稱或電子郵件地址 (預設為 email)。
tenantadmin-sso-saved = 已儲存單一登入。登入頁面現在會提供此選項。
tenantadmin-sso-removed = 已移除單一登入。

## 設定
tenantadmin-settings-saved = 已儲存設定。
tenantadmin-settings-passcode = 暫時密碼
tenantadmin-settings-passcode-intro = 複雜度由裝置決定：接受字母的裝置會取得不含易混淆字元 (0/O、1/l/I) 的英數字密碼；其他裝置會取得不含 1234 這類簡單序列的數字密碼。
tenantadmin-settings-alphanumeric = 英數字密碼的長度
tenantadmin-settings-alphanumeric-hint = { $min } 到 { $max } 個字元。
tenantadmin-settings-numeric = 數字密碼 (PIN) 的長度
tenantadmin-settings-numeric-hint = { $min } 到 { $max } 位數。
tenantadmin-settings-support = 公司支援連絡人
tenantadmin-settings-support-intro = 在自助服務入口網站中向使用者顯示。欄位留白即不顯示。
tenantadmin-settings-support-name = 名稱
tenantadmin-settings-support-phone = 電話號碼
tenantadmin-settings-support-email = 電子郵件地址
tenantadmin-settings-support-web = 網頁 (https://)
tenantadmin-settings-self-service = 自助服務動作
tenantadmin-settings-self-service-intro = 使用者可在自助服務入口網站中對自己的裝置執行的動作。在此關閉的動作會對使用者拒絕；系統管理員和技術支援中心不受影響。
tenantadmin-settings-reauth = 重新驗證時間範圍
tenantadmin-settings-reauth-minutes = 分鐘
tenantadmin-settings-reauth-hint = 使用者必須在此分鐘數 (1 到 60) 內登入過，才能重設密碼或在入口網站中檢視密碼。

## 設定檔
tenantadmin-profiles-none = 尚無設定檔。
tenantadmin-profile-new = 建立設定檔
tenantadmin-profile-from-template = 從 PIN 復原範本建立
tenantadmin-profile-edit = 編輯設定檔
tenantadmin-profile-platform = 平台：Windows 10 及更新版本。設定檔類型：自訂 (OMA-URI 設定)。
tenantadmin-profile-name = 名稱
tenantadmin-profile-description = 描述
tenantadmin-profile-settings = OMA-URI 設定
tenantadmin-col-profile = 設定檔
tenantadmin-col-settings = 設定
tenantadmin-col-version = 版本
tenantadmin-col-oma-uri = OMA-URI
tenantadmin-col-data-type = 資料類型
tenantadmin-col-value = 值
tenantadmin-col-applies-to = 適用於
tenantadmin-remove-setting = 移除
tenantadmin-add-setting = + 新增設定
tenantadmin-add-pin-recovery = + EnablePinRecovery (範本)
tenantadmin-pin-recovery-hint = 範本會填入組織的目錄識別碼。EnablePinRecovery 只適用於 Windows 桌面裝置；手機會顯示為「不適用」。
tenantadmin-profile-pin-recovery-name = Windows PIN 復原
tenantadmin-profile-saved = 已儲存設定檔。指派的裝置會在下次簽入時收到。
tenantadmin-profile-assigned = 已儲存指派。
tenantadmin-profile-version = 版本 { $version }
tenantadmin-profile-updated = 上次變更 { $when }
tenantadmin-profile-status = 裝置狀態
tenantadmin-status-filter = 依狀態篩選
tenantadmin-status-all = 全部 ({ $count })
tenantadmin-status-none-in-filter = 沒有裝置處於此狀態。
tenantadmin-status-unassigned = 此設定檔尚未指派給任何裝置。
tenantadmin-status-error-detail = 裝置對 { $uri } 回覆了狀態 { $status }。
tenantadmin-status-conflict-detail = 設定檔「{ $profile }」將 { $uri } 設為其他值。
tenantadmin-state-succeeded = 成功
tenantadmin-state-error = 錯誤
tenantadmin-state-conflict = 衝突
tenantadmin-state-pending = 擱置中
tenantadmin-state-not_applicable = 不適用
tenantadmin-assignments = 指派
tenantadmin-included = 包含的群組
tenantadmin-excluded = 排除的群組
tenantadmin-col-group = 群組
tenantadmin-col-group-kind = 類型
tenantadmin-include = 包含
tenantadmin-exclude = 排除
tenantadmin-not-assigned = 未指派
tenantadmin-group-user = 使用者
tenantadmin-group-device = 裝置
tenantadmin-save-assignments = 儲存指派

# Tenant administration › E-mail
tenantadmin-mail-title = 電子郵件
tenantadmin-mail-intro = 當密碼重設、遠端鎖定或裝置重設完成時，裝置擁有者會透過貴組織的郵件伺服器收到一封附有入口網站連結的電子郵件。暫時密碼絕不會以電子郵件寄送。
tenantadmin-mail-none = 尚未設定郵件伺服器：使用者只會在入口網站看到通知。
tenantadmin-mail-set-up = 設定電子郵件
tenantadmin-mail-host = SMTP 伺服器
tenantadmin-mail-port = 連接埠
tenantadmin-mail-security = 連線安全性
tenantadmin-mail-security-starttls = STARTTLS (通常為連接埠 587)
tenantadmin-mail-security-tls = TLS (通常為連接埠 465)
tenantadmin-mail-security-none = 無：僅適用於貴組織網路內的轉送伺服器 (連接埠 25)
tenantadmin-mail-from = 寄件者地址
tenantadmin-mail-username = 登入名稱
tenantadmin-mail-password = 密碼
tenantadmin-mail-password-stored = 已儲存密碼
tenantadmin-mail-password-none = 沒有密碼
tenantadmin-mail-no-sign-in = 無 (伺服器不需登入即可接受郵件)
tenantadmin-mail-language = 電子郵件的語言
tenantadmin-mail-test-to = 傳送測試郵件至
tenantadmin-mail-test = 傳送測試郵件
tenantadmin-mail-remove = 關閉電子郵件
tenantadmin-mail-saved = 已儲存郵件伺服器。請傳送測試郵件加以確認。
tenantadmin-mail-removed = 電子郵件已關閉；已儲存的密碼已銷毀。
tenantadmin-mail-sent = 郵件伺服器已接受測試郵件。
