# pinreset detail catalogue — Japanese (日本語). Keys: detail-<code>; English lives in crates/core/src/detail.rs.

## 要求の項目

detail-field_empty = 「{ $field }」は空にできません。
detail-field_too_long = 「{ $field }」は { $max } 文字以内で入力してください。
detail-field_too_short = 「{ $field }」は { $min } 文字以上で入力してください。
detail-field_length = 「{ $field }」は { $min } ～ { $max } 文字で入力してください。
detail-field_out_of_range = 「{ $field }」は { $min } ～ { $max } の範囲で指定してください。
detail-field_has_spaces = 「{ $field }」にスペースを含めることはできません。
detail-mail_not_set_up = この組織にはメール サーバーが設定されていません。PUT /api/v1/tenant/mail で設定します。
detail-mail_server_answer = メールサーバーの応答: { $answer }
detail-field_not_host = 「{ $field }」にはスキーム、ポート、パスを含まないホスト名またはアドレスを入力してください。
detail-field_not_email = 「{ $field }」には name@example.com のような形式のアドレスを入力してください。
detail-field_not_https = 「{ $field }」には https:// で始まるアドレスを入力してください。
detail-field_has_nul = 「{ $field }」に NUL 文字 (U+0000) が含まれています。この文字は入力として使用できません。
detail-field_has_control = 「{ $field }」に文字 { $character } が含まれています。名前に制御文字や双方向オーバーライド文字を含めることはできません。
detail-field_not_phone = 「{ $field }」には電話番号を入力してください (数字、スペース、+ - ( ) . のみ)。
detail-field_only_for = 「{ $field }」は { $action } の場合にのみ指定できます。
detail-field_not_an_id = { $field } の「{ $value }」は有効な ID (UUID) ではありません。
detail-field_not_a_time = { $field } の「{ $value }」は、2026-11-23T08:00:00Z のような RFC 3339 形式の日時ではありません。
detail-field_unknown_value = { $field } の「{ $value }」は不明な値です。次のいずれかを使用してください: { $allowed }
detail-either_field = 「{ $first }」と「{ $second }」のどちらか一方だけを指定してください (両方を指定することも、どちらも指定しないこともできません)。
detail-body_shape = { $expected } の形式が必要です: { $problem }
detail-query_invalid = クエリ文字列が正しくありません: { $problem }
detail-path_invalid = パスが正しくありません: { $problem }
detail-no_such_endpoint = 指定された API エンドポイントは存在しません。
detail-page_cursor_invalid = 「{ $field }」はこのサーバーが返したページ位置ではありません。最初のページからやり直してください。

## サインイン

detail-bearer_format = Authorization ヘッダーは「Bearer <token>」の形式である必要があります。
detail-token_not_valid = API トークンが無効です。
detail-credentials_missing = Authorization: Bearer <token> ヘッダーがありません (または、セッションがありません。サインインしてください)。
detail-session_ended = セッションが終了しました。もう一度サインインしてください。
detail-not_a_session = この要求は、セッションではなく API トークンで送信されました。
detail-wrong_credentials = メール アドレスまたはパスワードが正しくありません。
detail-account_locked = このアカウントでサインインの失敗が多すぎます。{ $seconds } 秒後にもう一度お試しいただくか、IT 部門にロックの解除を依頼してください。
detail-address_throttled = お使いのネットワークから、サインインの失敗が多すぎます。{ $seconds } 秒後にもう一度お試しください。
detail-sign_in_busy = サーバーは他のサインインの確認で混み合っています。数秒後にもう一度お試しください。
detail-account_not_locked = そのアカウントはロックされていません。

## シングル サインオン

detail-sso_issuer_not_https = 発行者「{ $issuer }」は https:// のアドレスである必要があります (http:// を使用できるのは、ローカル開発用のループバック アドレスの場合だけです)。
detail-sso_claim_name = 「{ $claim }」はクレーム名ではありません (使用できるのは英字、数字、_ . : - だけです)。
detail-sso_discovery = OpenID プロバイダー「{ $issuer }」を検出できませんでした: { $problem }
detail-sso_state_mismatch = サインインの応答が、このブラウザーで開始されたサインインのものではないか、すでに使用されているか、開始から 10 分を超えています。
detail-sso_provider_error = IDプロバイダーがサインインを拒否しました: { $error }。
detail-sso_token_invalid = IDプロバイダーの IDトークンが拒否されました: { $problem }
detail-sso_claim_missing = IDトークンに、ユーザーの照合に使用する「{ $claim }」クレームがありません。
detail-sso_no_such_user = この組織には、ログイン名またはメール アドレスが「{ $value }」の有効なユーザーはいません。

## ユーザー、グループ、トークン

detail-no_such_user = 指定されたユーザーは存在しません。
detail-no_such_token = このユーザーには、指定された API トークンがありません。
detail-no_such_group = 指定されたグループは存在しません。
detail-no_such_group_or_member = 指定されたグループまたはメンバーは、このテナントに存在しません。
detail-not_member_kind = members: { $member } は、このテナントの { $kind } ではありません。
detail-too_many_members = グループの作成時に指定できるメンバーは { $max } 件までです。それ以上のメンバーは作成後に追加してください。
detail-login_taken = ログイン名「{ $login }」は、このテナントですでに使用されています。
detail-reassign_to_self = 「reassign_to」には、削除するユーザーとは別のユーザーを指定してください。
detail-reassign_to_unknown = 「reassign_to」に指定された { $user } は、このテナントのユーザーではありません。
detail-owns_devices = { $login } は { $count } 台のデバイスのプライマリ ユーザーです。?reassign_to=<user id> を指定して削除すると、デバイスを別のユーザーに移せます。

## 構成プロファイル

detail-setting_uri_prefix = 設定 { $index }: OMA-URI「{ $uri }」は ./ で始まる必要があります (例: ./Device/Vendor/MSFT/...)。
detail-setting_uri_too_long = 設定 { $index }: OMA-URI が { $max } 文字を超えています。
detail-setting_uri_spaces = 設定 { $index }: OMA-URI「{ $uri }」に空白文字または制御文字が含まれています。
detail-setting_uri_empty_segment = 設定 { $index }: OMA-URI「{ $uri }」に空のセグメントがあります (// または末尾の /)。
detail-setting_value_type = 設定 { $index } ({ $uri }): 値「{ $value }」は有効な { $data_type } ではありません。
detail-setting_twice = 設定 { $index }: { $uri } がこのプロファイル内で重複しています。
detail-setting_not_windows = 設定 { $index }: { $platform } は Windows プラットフォームではありません。
detail-settings_count = プロファイルには 1 ～ { $max } 個の設定が必要です。
detail-no_such_group_for_profile = グループ { $group } は、このテナントに存在しません。

## 操作、デバイス、テナント

detail-unknown_action = 不明な操作「{ $action }」です。reset-passcode、remote-lock、reset-device、remove、rename のいずれかを使用してください。
detail-rename_needs_name = 名前の変更には、空でない「name」が必要です。
detail-action_already_finished = この操作は、すでに { $state } の状態です。
detail-reenrollment_decided = この再登録の要求は、すでに承認または拒否されています。
detail-reenrollment_lapsed = 再登録の要求の有効期限が切れました。ユーザーがもう一度デバイスを登録する必要があります。
detail-apns_cert_no_topic = この証明書は MDM プッシュ証明書ではありません (サブジェクトに UID トピックがありません)。
detail-apns_key_mismatch = 秘密キーがこの証明書のものではないか、PEM 形式ではありません。
detail-store_conflict = 競合: { $what }。
detail-store_invalid = 無効な入力: { $what }。
detail-step_up_not_asked = このセッションでは、このデバイスについてご本人であることがまだ確認されていません。もう一度リセットを要求し、求められたらサインインし直してください。
detail-step_up_before_request = IDプロバイダーでのサインイン ({ $signed_in }) は、パスコードのリセットを要求した時刻 ({ $asked }) より前に行われています。プロバイダーで、パスワードを使ってもう一度サインインしてください。
detail-step_up_too_old = サインイン ({ $signed_in }) から { $minutes } 分以上が経過しています。もう一度リセットを要求してください。
detail-step_up_no_auth_time = IDプロバイダーからサインインの時刻 (auth_time) が示されなかったため、このサインインを新しいサインインとして扱うことはできません。
detail-resets_per_device = ポータルから要求できるパスコードのリセットは、1 台のデバイスにつき 1 時間あたり { $limit } 回までです。{ $wait } 後にもう一度お試しください。
detail-resets_per_user = 要求できるパスコードのリセットは、1 時間あたり { $limit } 回までです。{ $wait } 後にもう一度お試しください。
detail-bulk_one_selection = デバイスの選択方法を 1 つだけ指定してください: device_ids、group_id、filter のいずれか 1 つです。
detail-android_enterprise_not_bound = この組織には Android Enterprise がバインドされていません。PUT /api/v1/tenant/android-enterprise でバインドします。
detail-android_enterprise_name = { $field } 「{ $value }」は { $shape } のような形式にしてください。
detail-service_account_key = サービス アカウント キーを使用できません: { $problem }。
detail-google_answer = Google の応答: { $answer }
