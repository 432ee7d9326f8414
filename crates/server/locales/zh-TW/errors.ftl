# pinreset error catalogue — Traditional Chinese (繁體中文，台灣). Keys: err-<code> (reason) and .remedy; English lives in crates/core/src/error.rs.

err-invalid_input = 要求無效。
    .remedy = 請修正標示的欄位，然後重新傳送要求。

err-unauthenticated = 未提供有效的認證。
    .remedy = 請重新登入，或使用有效的 API 權杖。

err-role_forbidden = 您的角色不允許執行此動作。
    .remedy = 請租用戶系統管理員代為執行，或請其授與允許此動作的角色。

err-not_device_owner = 只有裝置的主要使用者才能從自助服務入口網站執行此動作。
    .remedy = 請以裝置擁有者身分登入，或連絡公司支援人員。

err-not_found = 要求的項目不存在，或您無權檢視。
    .remedy = 請檢查識別碼；該裝置可能已被移除。

err-conflict = 項目已變更或已存在。
    .remedy = 請重新載入後再試一次。

err-sign_in_locked = 此帳戶登入失敗次數過多，已暫時鎖定。
    .remedy = 請等候鎖定結束 (回應中會註明時間)，或請租用戶系統管理員解除帳戶鎖定。

err-sign_in_throttled = 來自您網路位址的登入失敗次數過多。
    .remedy = 請依回應中註明的時間等候後再試，並檢查電子郵件地址與密碼是否正確。

err-server_busy = 伺服器同時檢查的密碼過多。
    .remedy = 請於幾秒後再試一次。

err-csrf_token_missing = 此變更使用工作階段 Cookie 傳送，但未附上該工作階段的 CSRF 權杖。
    .remedy = 請重新載入頁面後再試一次；使用 API 的指令碼應傳送登入時取得的 X-CSRF-Token 標頭，或改用 API 權杖。

err-reauth_required = 此動作需要近期登入 (在貴組織設定的時間內，預設為 5 分鐘)。
    .remedy = 請重新登入以確認您的身分，然後在該時間內重新執行此動作。

err-sso_not_configured = 此組織尚未設定單一登入。
    .remedy = 請使用電子郵件地址與密碼登入，或請租用戶系統管理員設定單一登入 (租用戶系統管理 > 單一登入)。

err-sso_refused = 無法接受來自貴組織識別提供者的回應。
    .remedy = 請從頭重新登入；若再次發生，請將發生時間告知您的系統管理員 (伺服器的記錄中會說明原因)。

err-sso_unknown_user = 您已透過識別提供者登入，但此組織中沒有該名稱且已啟用的 pinreset 使用者。
    .remedy = 請 IT 部門將您新增至 pinreset (或啟用您的帳戶)。

err-sso_provider_unreachable = 無法連線至識別提供者，或其未以 OpenID 提供者的身分回應。
    .remedy = 請檢查簽發者 (issuer) 位址，並確認提供者正常運作 (若使用私人 CA，也請確認伺服器啟動時已指定 --oidc-ca-file)，然後再試一次。
err-mail_not_sent = 郵件伺服器未接受此郵件。
    .remedy = 請檢查郵件設定的主機、連接埠、安全性與登入資訊，並確認伺服器接受 pinreset 以該寄件者寄出的郵件；伺服器的回應顯示在詳細資訊中。

err-login_taken = 此租用戶中已有其他使用者使用這個登入名稱。
    .remedy = 請選擇其他登入名稱，或改為變更現有的使用者。

err-last_tenant_admin = 這是租用戶中最後一位已啟用的租用戶系統管理員；少了這位管理員，就沒有人能管理此租用戶。
    .remedy = 請先將其他使用者設為租用戶系統管理員 (或啟用一位)，然後再試一次。

err-user_owns_devices = 此使用者是某些裝置的主要使用者，刪除後這些裝置將沒有擁有者。
    .remedy = 請搭配 reassign_to=<user id> 刪除，將裝置移轉給其他使用者，或先重新指派這些裝置。

err-tenant_not_onboarded = 貴組織尚未同意 PIN 重設服務。
    .remedy = 租用戶系統管理員必須在「租用戶系統管理」中同意 PIN 重設服務，然後再試一次。

err-corporate_device_self_service = 自助服務入口網站無法重設公司擁有裝置的密碼。
    .remedy = 請連絡公司支援人員：技術支援中心可以重設這部公司裝置的密碼。

err-self_service_action_off = 您的組織未在自助服務入口網站中提供此動作。
    .remedy = 請連絡 IT 支援人員 (入口網站會顯示連絡方式)；系統管理員可以為您執行此動作。

err-windows_mobile_too_old = 重設密碼需要 Windows 10 Mobile Creators Update (組建 15063) 或更新版本。
    .remedy = 請將裝置更新至 Windows 10 Mobile 組建 15063 或更新版本，或重設裝置。

err-windows_not_aad_joined = 重設密碼需要裝置已聯結 Azure AD。
    .remedy = 請將裝置聯結至 Azure AD (設定 > 帳戶 > 存取公司或學校資源)，然後再試一次。

err-windows_desktop_unsupported = 伺服器無法重設 Windows 10/11 桌上型裝置的 PIN。
    .remedy = 請在鎖定畫面使用 PIN 復原 (「我忘記我的 PIN」)；指派會設定 EnablePinRecovery 的設定檔，讓裝置支援此功能。

err-macos_unsupported = macOS 不支援由伺服器重設密碼。
    .remedy = 請使用遠端鎖定：Mac 會以此伺服器顯示給您的 6 位數 PIN 鎖定。

err-ios_no_unlock_token = 伺服器沒有此裝置的 UnlockToken，因此無法清除密碼。
    .remedy = 裝置必須重新註冊 (或傳送含有 UnlockToken 的 TokenUpdate) 後才能清除密碼；否則請重設裝置。

err-ios_unlock_token_rejected = 裝置拒絕了託管的 UnlockToken：它已與裝置的金鑰不符。
    .remedy = 請使用者重新安裝註冊設定檔 (其 TokenUpdate 會託管新的 UnlockToken) 後再試一次，或重設裝置。

err-ios_user_enrollment = 以使用者註冊方式註冊的裝置不允許清除密碼。
    .remedy = 請由擁有者在裝置上重設密碼；IT 人員只能移除受管理的資料。

err-ios_shared_ipad = Shared iPad 沒有可供伺服器清除的裝置密碼。
    .remedy = 請將使用者從 Shared iPad 登出，或重設裝置。

err-android_device_admin_unsupported = Android 7.0 及更新版本不允許裝置管理員重設密碼。
    .remedy = 請將裝置恢復原廠設定 (「重設裝置」)，然後以完全受控或工作設定檔方式重新註冊，即可使用重設密碼。

err-android_no_reset_token = 此裝置沒有有效的密碼重設權杖。
    .remedy = 請在裝置上開啟管理應用程式並接受重設密碼的提示，然後再試一次。

err-android_unsupported_mode = 此 Android 版本與管理模式不支援重設密碼。
    .remedy = 請將裝置更新至 Android 8.0 或更新版本，並使用工作設定檔或完全受控模式，或將裝置恢復原廠設定。

err-android_passcode_rejected = 裝置拒絕了臨時密碼：它不符合裝置上設定的密碼原則。
    .remedy = 請讓租用戶的臨時密碼設定 (長度、字母與數字) 符合裝置的密碼原則，然後再重設一次。

err-windows_desktop_no_remote_lock = Windows 10/11 桌上型裝置不支援遠端鎖定。
    .remedy = 請使用者鎖定電腦 (Windows+L)；若電腦遺失，請重設裝置。

err-user_enrollment_no_wipe = 以使用者註冊方式註冊的裝置屬於使用者本人，組織無法將其抹除。
    .remedy = 請改用「移除」來刪除受管理的應用程式與資料。

err-work_profile_no_wipe = 具有工作設定檔的個人裝置無法由組織抹除。
    .remedy = 請改用「移除」來刪除工作設定檔。

err-channel_cannot_deliver = 此伺服器無法將該動作傳送至這類裝置。
    .remedy = 請為此裝置選擇其他動作，或直接在裝置上執行。

err-apple_rename_unsupported = Apple 裝置只能在受監管裝置上透過 MDM 的 Settings 命令重新命名，而此伺服器不會傳送該命令。
    .remedy = 請直接在裝置上重新命名 (設定 > 一般 > 關於本機 > 名稱；Mac 則為系統設定 > 一般 > 共享)。

err-action_not_supported = 此裝置不支援該動作。
    .remedy = 請為此裝置選擇其他動作。

err-device_reenrolled = 裝置已重新註冊，因此先前註冊中排入佇列的命令已被捨棄。
    .remedy = 請重新要求該動作。

err-device_already_enrolled = 此裝置已註冊，且本次註冊無法證明是同一部裝置。
    .remedy = 租用戶系統管理員必須核准重新註冊 (系統管理 API 中的重新註冊：pinreset reenrollments approve ID)；之後請在 24 小時內重新註冊裝置。

err-device_enrolled_elsewhere = 此裝置已由此伺服器上的其他組織註冊。
    .remedy = 請先將裝置從其他組織的管理中移除，然後再重新註冊。

err-enrollment_identity_spent = 此註冊設定檔已被其他裝置使用。
    .remedy = 請為此裝置下載新的註冊設定檔。

err-reenrollment_not_pending = 此重新註冊要求已有決定或已過期。
    .remedy = 請使用者重新註冊裝置：系統會建立新的要求。

err-device_retired = 此裝置已不再受管理。
    .remedy = 若要管理此裝置，請重新註冊。

err-passcode_expired = 暫時密碼已過期並已刪除 (暫時密碼保留 7 天)。
    .remedy = 請再次重設密碼以取得新的暫時密碼。

err-passcode_not_available = 此動作沒有可顯示的暫時密碼。
    .remedy = 只有在使用暫時密碼的裝置上成功重設密碼時才會有暫時密碼；iOS 裝置則是直接移除密碼。

err-action_expired = 裝置未在動作的有效期限內回應。
    .remedy = 請確認裝置已開機並連上網路，然後重新要求該動作。

err-action_not_pending = 此動作已完成。
    .remedy = 如有需要，請要求新的動作。

err-device_rejected = 裝置拒絕了此命令。
    .remedy = 請在裝置詳細資料中查看其回報的狀態，確認裝置符合需求後再試一次。

err-device_no_pin_set = 裝置未設定 PIN，因此無法鎖定。
    .remedy = 請使用者在裝置上設定 PIN，或重設裝置。

err-device_no_passcode_returned = 裝置回報成功，但未傳回新密碼。
    .remedy = 請再試一次重設；若問題持續發生，請重設裝置。

err-internal = 伺服器發生問題。
    .remedy = 請再試一次；若問題持續發生，請將要求識別碼提供給您的系統管理員。

err-reset_rate_limited = 過去一小時內，針對此裝置或由您提出的密碼重設要求過多。
    .remedy = 請等到此回應所指出的時間後再試一次；如果您現在無法使用裝置，請連絡您的 IT 支援人員。

err-amapi_command_unsupported = 裝置上的 Android Device Policy 不支援此命令。
    .remedy = 請更新裝置上的 Android Device Policy (Google Play)，然後再試一次。

err-amapi_command_gave_up = 裝置未在給定的時間內執行命令，因此 pinreset 已停止等待。
    .remedy = 請確認裝置已開機且已連線，然後再次要求此動作。

err-google_unreachable = 無法連線至 Google 的 Android Management API，或要求遭到拒絕。
    .remedy = 請檢查企業繫結 (企業名稱、服務帳戶金鑰及其角色)，以及此伺服器能否連線至 Google；回應在詳細資料中。
