# pinreset detail catalogue — Traditional Chinese (繁體中文，台灣). Keys: detail-<code>; English lives in crates/core/src/detail.rs.

## 要求欄位

detail-field_empty = 「{ $field }」不可為空白。
detail-field_too_long = 「{ $field }」最多只能有 { $max } 個字元。
detail-field_too_short = 「{ $field }」至少需要 { $min } 個字元。
detail-field_length = 「{ $field }」必須為 { $min } 到 { $max } 個字元。
detail-field_out_of_range = 「{ $field }」必須介於 { $min } 與 { $max } 之間。
detail-field_has_spaces = 「{ $field }」不可包含空格。
detail-mail_not_set_up = 此組織尚未設定郵件伺服器；請以 PUT /api/v1/tenant/mail 設定。
detail-mail_server_answer = 郵件伺服器回應：{ $answer }
detail-field_not_host = 「{ $field }」必須是主機名稱或位址，不可包含通訊協定、連接埠或路徑。
detail-field_not_email = 「{ $field }」必須是類似 name@example.com 的地址。
detail-field_not_https = 「{ $field }」必須是 https:// 地址。
detail-field_has_nul = 「{ $field }」包含 NUL 字元 (U+0000)，這絕不是有效的輸入。
detail-field_has_control = 「{ $field }」包含字元 { $character }；名稱不可包含控制字元或雙向覆寫字元。
detail-field_not_phone = 「{ $field }」必須是電話號碼：只能包含數字、空格及 + - ( ) . 字元。
detail-field_only_for = 「{ $field }」僅適用於 { $action }。
detail-field_not_an_id = { $field }「{ $value }」不是有效的識別碼 (UUID)。
detail-field_not_a_time = { $field }「{ $value }」不是 RFC 3339 格式的時間 (例如 2026-11-23T08:00:00Z)。
detail-field_unknown_value = { $field }「{ $value }」無法識別；請使用下列其中之一：{ $allowed }。
detail-either_field = 請提供「{ $first }」或「{ $second }」其中之一，不可兩者皆提供或皆未提供。
detail-body_shape = 預期為 { $expected }：{ $problem }
detail-query_invalid = 查詢字串無效：{ $problem }
detail-path_invalid = 路徑無效：{ $problem }
detail-no_such_endpoint = 沒有此 API 端點。
detail-page_cursor_invalid = 「{ $field }」不是此伺服器提供的頁面位置，請從第一頁重新開始。

## 登入

detail-bearer_format = Authorization 標頭必須是「Bearer <token>」。
detail-token_not_valid = API 權杖無效。
detail-credentials_missing = 缺少 Authorization: Bearer <token> 標頭 (或工作階段：請登入)。
detail-session_ended = 工作階段已結束；請重新登入。
detail-not_a_session = 此要求使用的是 API 權杖，而非工作階段。
detail-wrong_credentials = 電子郵件地址或密碼不正確。
detail-account_locked = 此帳戶登入失敗次數過多；請於 { $seconds } 秒後再試，或請 IT 部門解除帳戶鎖定。
detail-address_throttled = 來自您網路的登入失敗次數過多；請於 { $seconds } 秒後再試。
detail-sign_in_busy = 伺服器正忙於檢查其他登入；請於幾秒後再試。
detail-account_not_locked = 該帳戶並未鎖定。

## 單一登入

detail-sso_issuer_not_https = 簽發者「{ $issuer }」必須是 https:// 位址 (僅限本機開發用的回送位址可使用 http://)。
detail-sso_claim_name = 「{ $claim }」不是宣告名稱 (只能使用字母、數字與 _ . : -)。
detail-sso_discovery = 無法探索 OpenID 提供者「{ $issuer }」：{ $problem }
detail-sso_state_mismatch = 此登入回應不屬於在此瀏覽器中開始的登入，或已被使用過，或已超過 10 分鐘。
detail-sso_provider_error = 識別提供者拒絕了此登入：{ $error }。
detail-sso_token_invalid = 識別提供者的識別碼權杖遭到拒絕：{ $problem }
detail-sso_claim_missing = 識別碼權杖中沒有可用來比對使用者的「{ $claim }」宣告。
detail-sso_no_such_user = 此組織中沒有登入名稱或電子郵件地址為「{ $value }」的已啟用使用者。

## 使用者、群組、權杖

detail-no_such_user = 沒有此使用者。
detail-no_such_token = 該使用者沒有此 API 權杖。
detail-no_such_group = 沒有此群組。
detail-no_such_group_or_member = 此租用戶中沒有此群組或成員。
detail-not_member_kind = members：{ $member } 不是此租用戶的 { $kind }。
detail-too_many_members = 建立群組時最多只能包含 { $max } 個成員；其餘成員請於建立後再新增。
detail-login_taken = 登入名稱「{ $login }」在此租用戶中已被使用。
detail-reassign_to_self = 「reassign_to」必須是被刪除使用者以外的其他使用者。
detail-reassign_to_unknown = 「reassign_to」{ $user } 不是此租用戶的使用者。
detail-owns_devices = { $login } 是 { $count } 部裝置的主要使用者；請搭配 ?reassign_to=<user id> 刪除，將裝置移轉給其他使用者。

## 設定檔

detail-setting_uri_prefix = 設定 { $index }：OMA-URI「{ $uri }」必須以 ./ 開頭 (例如 ./Device/Vendor/MSFT/...)。
detail-setting_uri_too_long = 設定 { $index }：OMA-URI 超過 { $max } 個字元。
detail-setting_uri_spaces = 設定 { $index }：OMA-URI「{ $uri }」包含空白或控制字元。
detail-setting_uri_empty_segment = 設定 { $index }：OMA-URI「{ $uri }」含有空的區段 (// 或結尾的 /)。
detail-setting_value_type = 設定 { $index } ({ $uri })：值「{ $value }」不是有效的 { $data_type }。
detail-setting_twice = 設定 { $index }：{ $uri } 在此設定檔中出現兩次。
detail-setting_not_windows = 設定 { $index }：{ $platform } 不是 Windows 平台。
detail-settings_count = 設定檔必須包含 1 到 { $max } 個設定。
detail-no_such_group_for_profile = 此租用戶中不存在群組 { $group }。

## 動作、裝置、租用戶

detail-unknown_action = 未知的動作「{ $action }」；請使用 reset-passcode、remote-lock、reset-device、remove 或 rename。
detail-rename_needs_name = 重新命名需要提供非空白的「name」。
detail-action_already_finished = 此動作已處於 { $state } 狀態。
detail-reenrollment_decided = 此重新註冊要求已有決定。
detail-reenrollment_lapsed = 此重新註冊要求已過期；使用者必須重新嘗試註冊。
detail-apns_cert_no_topic = 此憑證不是 MDM 推播憑證 (其主體中沒有 UID 主題)。
detail-apns_key_mismatch = 私密金鑰不屬於此憑證，或不是 PEM 格式。
detail-store_conflict = 衝突：{ $what }。
detail-store_invalid = 輸入無效：{ $what }。
detail-step_up_not_asked = 此工作階段尚未針對這部裝置證明是您本人：請重新要求重設，並在系統要求時重新登入。
detail-step_up_before_request = 識別提供者的登入 ({ $signed_in }) 發生在您要求重設密碼 ({ $asked }) 之前：請在識別提供者處使用您的密碼重新登入。
detail-step_up_too_old = 您的登入 ({ $signed_in }) 已超過 { $minutes } 分鐘：請重新要求重設。
detail-step_up_no_auth_time = 識別提供者未提供您的登入時間 (auth_time)，因此這次登入無法視為新的登入。
detail-resets_per_device = 每部裝置每小時最多只能從入口網站要求 { $limit } 次密碼重設；請於 { $wait } 後再試。
detail-resets_per_user = 您每小時最多只能要求 { $limit } 次密碼重設；請於 { $wait } 後再試。
detail-bulk_one_selection = 請只用一種方式選擇裝置：device_ids、group_id 與 filter 三者擇一。
detail-android_enterprise_not_bound = 此組織未繫結 Android Enterprise；PUT /api/v1/tenant/android-enterprise 可繫結。
detail-android_enterprise_name = { $field }「{ $value }」必須類似 { $shape }。
detail-service_account_key = 無法使用服務帳戶金鑰：{ $problem }。
detail-google_answer = Google 回應：{ $answer }
