# pinreset 管理センター — 日本語: テナント管理 (PIN リセット サービス、エンタープライズ アプリケーション、
# シングル サインオン)、設定、構成プロファイル。

tenantadmin-save = 保存

## テナント管理 › PIN リセット サービス
tenantadmin-consent-title = PIN リセット サービス
tenantadmin-consent-intro = Windows のパスコード リセットは、このサーバーの 2 つのアプリケーションを使用します。テナント管理者として、組織を代表して各アプリケーションに許可する内容に同意します。同意するまで、Windows のパスコード リセットは拒否されます。
tenantadmin-consent-may = このアプリケーションに許可する操作:
tenantadmin-app-service = PIN リセット サービス
tenantadmin-app-service-about = サーバー側: 一時 PIN を作成し、保護された形式でデバイスに渡します。
tenantadmin-perm-service-signin = 組織のアプリケーションとしてサインインし、組織の基本プロファイルを読み取る
tenantadmin-perm-service-reset = 管理者またはデバイスの所有者がパスコードのリセットを要求したときに、Windows デバイスの一時 PIN を作成する
tenantadmin-perm-service-directory = デバイスの PassportForWork 設定の宛先とするため、組織の Azure AD ディレクトリ ID を読み取る
tenantadmin-app-client = PIN リセット クライアント
tenantadmin-app-client-about = デバイス側: 管理対象の Windows デバイスが新しい PIN を受け取り、現在の PIN と置き換えるために使用します。
tenantadmin-perm-client-signin = 組織の Windows デバイスにデバイスのユーザーとしてサインインする
tenantadmin-perm-client-service = 新しい PIN を受け取るため、そのユーザーに代わって PIN リセット サービスを呼び出す
tenantadmin-consent-revocable = この同意はこのページからいつでも取り消すことができます。取り消すと、Windows のパスコード リセットは再び拒否されます。
tenantadmin-consent-accept = 同意する
tenantadmin-consent-revoke = 同意を取り消す
tenantadmin-consent-missing = 組織はまだ同意していません。Windows のパスコード リセットは拒否されます。
tenantadmin-consent-given = { $by } が { $when } に同意しました。
tenantadmin-consent-given-unknown = 同意済みです。
tenantadmin-consent-admins-only = 同意できるのはテナント管理者だけです。
tenantadmin-consent-revoked-notice = 同意を取り消しました。テナント管理者が再び同意するまで、Windows のパスコード リセットは拒否されます。
tenantadmin-consent-accepted-notice = 同意しました。両方のアプリケーションが有効になり、Windows のパスコード リセットを使用できます。
tenantadmin-consent-link = PIN リセット サービスに同意する

## テナント管理 › エンタープライズ アプリケーション
tenantadmin-apps-title = エンタープライズ アプリケーション
tenantadmin-col-app = アプリケーション
tenantadmin-col-status = 状態
tenantadmin-col-consented-by = 同意したユーザー
tenantadmin-col-consented-at = 同意日時
tenantadmin-enabled = 有効
tenantadmin-not-consented = 未同意

## テナント管理 › シングル サインオン
tenantadmin-sso-title = シングル サインオン
tenantadmin-sso-current = 現在の設定
tenantadmin-sso-none = シングル サインオンは設定されていません。ユーザーはメール アドレスとパスワードでサインインします。
tenantadmin-sso-issuer = 発行者 (Issuer)
tenantadmin-sso-client-id = クライアント ID
tenantadmin-sso-client-secret = クライアント シークレット
tenantadmin-sso-login-claim = ログイン クレーム
tenantadmin-sso-redirect = プロバイダーに登録するリダイレクト URI
tenantadmin-sso-redirect-register = OpenID プロバイダーに次のリダイレクト URI を登録してください:
tenantadmin-sso-remove = シングル サインオンを削除
tenantadmin-sso-set-up = シングル サインオンを設定
tenantadmin-sso-replace = 設定を置き換える
tenantadmin-sso-secret-hint = 暗号化して保存され、再表示されることはありません。保存するたびに入力してください。
tenantadmin-sso-claim-hint = ユーザーを示す ID トークンのクレーム (ログインまたはメール アドレス。既定は email)。
tenantadmin-sso-saved = シングル サインオンを保存しました。サインイン ページで使用できるようになりました。
tenantadmin-sso-removed = シングル サインオンを削除しました。

## 設定
tenantadmin-settings-saved = 設定を保存しました。
tenantadmin-settings-passcode = 一時パスコード
tenantadmin-settings-passcode-intro = 複雑さはデバイスによって決まります。英字を受け付けるデバイスには、紛らわしい文字 (0/O、1/l/I) を除いた英数字を、その他のデバイスには 1234 のような単純な並びを除いた数字を使用します。
tenantadmin-settings-alphanumeric = 英数字パスコードの長さ
tenantadmin-settings-alphanumeric-hint = { $min } ～ { $max } 文字。
tenantadmin-settings-numeric = 数字パスコード (PIN) の長さ
tenantadmin-settings-numeric-hint = { $min } ～ { $max } 桁。
tenantadmin-settings-support = 会社のサポート連絡先
tenantadmin-settings-support-intro = セルフサービス ポータルでユーザーに表示されます。空欄の項目は表示されません。
tenantadmin-settings-support-name = 名前
tenantadmin-settings-support-phone = 電話番号
tenantadmin-settings-support-email = メール アドレス
tenantadmin-settings-support-web = Web ページ (https://)
tenantadmin-settings-self-service = セルフサービス操作
tenantadmin-settings-self-service-intro = ユーザーがセルフサービス ポータルで自分のデバイスに対して実行できる操作です。ここでオフにした操作はユーザーには拒否されます。管理者とヘルプデスクには影響しません。
tenantadmin-settings-reauth = 再認証の期間
tenantadmin-settings-reauth-minutes = 分
tenantadmin-settings-reauth-hint = パスコードのリセットやポータルでのパスコードの表示には、この分数 (1 ～ 60) 以内のサインインが必要です。

## 構成プロファイル
tenantadmin-profiles-none = 構成プロファイルはまだありません。
tenantadmin-profile-new = プロファイルの作成
tenantadmin-profile-from-template = PIN 回復テンプレートから作成
tenantadmin-profile-edit = プロファイルの編集
tenantadmin-profile-platform = プラットフォーム: Windows 10 以降。プロファイルの種類: カスタム (OMA-URI 設定)。
tenantadmin-profile-name = 名前
tenantadmin-profile-description = 説明
tenantadmin-profile-settings = OMA-URI 設定
tenantadmin-col-profile = プロファイル
tenantadmin-col-settings = 設定
tenantadmin-col-version = バージョン
tenantadmin-col-oma-uri = OMA-URI
tenantadmin-col-data-type = データ型
tenantadmin-col-value = 値
tenantadmin-col-applies-to = 適用対象
tenantadmin-remove-setting = 削除
tenantadmin-add-setting = + 設定の追加
tenantadmin-add-pin-recovery = + EnablePinRecovery (テンプレート)
tenantadmin-pin-recovery-hint = テンプレートには組織のディレクトリ ID が入力されます。EnablePinRecovery は Windows デスクトップ デバイスにのみ適用され、電話は「該当なし」と表示されます。
tenantadmin-profile-pin-recovery-name = Windows PIN の回復
tenantadmin-profile-saved = プロファイルを保存しました。割り当てられたデバイスは次回のチェックイン時に受け取ります。
tenantadmin-profile-assigned = 割り当てを保存しました。
tenantadmin-profile-version = バージョン { $version }
tenantadmin-profile-updated = 最終変更 { $when }
tenantadmin-profile-status = デバイスの状態
tenantadmin-status-filter = 状態で絞り込む
tenantadmin-status-all = すべて ({ $count })
tenantadmin-status-none-in-filter = この状態のデバイスはありません。
tenantadmin-status-unassigned = このプロファイルはまだどのデバイスにも割り当てられていません。
tenantadmin-status-error-detail = デバイスは { $uri } に対して状態 { $status } を返しました。
tenantadmin-status-conflict-detail = プロファイル「{ $profile }」が { $uri } を別の値に設定しています。
tenantadmin-state-succeeded = 成功
tenantadmin-state-error = エラー
tenantadmin-state-conflict = 競合
tenantadmin-state-pending = 保留中
tenantadmin-state-not_applicable = 該当なし
tenantadmin-assignments = 割り当て
tenantadmin-included = 対象グループ
tenantadmin-excluded = 除外グループ
tenantadmin-col-group = グループ
tenantadmin-col-group-kind = 種類
tenantadmin-include = 含める
tenantadmin-exclude = 除外する
tenantadmin-not-assigned = 割り当てなし
tenantadmin-group-user = ユーザー
tenantadmin-group-device = デバイス
tenantadmin-save-assignments = 割り当てを保存

# Tenant administration › E-mail
tenantadmin-mail-title = メール
tenantadmin-mail-intro = パスコードのリセット、リモート ロック、デバイスのリセットが完了すると、デバイスの所有者に組織のメール サーバーからポータルへのリンク付きのメールが届きます。一時パスコードがメールで送信されることはありません。
tenantadmin-mail-none = メール サーバーは設定されていません。通知はポータルにのみ表示されます。
tenantadmin-mail-set-up = メールを設定する
tenantadmin-mail-host = SMTP サーバー
tenantadmin-mail-port = ポート
tenantadmin-mail-security = 接続のセキュリティ
tenantadmin-mail-security-starttls = STARTTLS (通常はポート 587)
tenantadmin-mail-security-tls = TLS (通常はポート 465)
tenantadmin-mail-security-none = なし: 自組織のネットワーク上のリレー専用 (ポート 25)
tenantadmin-mail-from = 差出人アドレス
tenantadmin-mail-username = サインイン名
tenantadmin-mail-password = パスワード
tenantadmin-mail-password-stored = パスワード保存済み
tenantadmin-mail-password-none = パスワードなし
tenantadmin-mail-no-sign-in = なし (サーバーはサインインなしでメールを受け付けます)
tenantadmin-mail-language = メールの言語
tenantadmin-mail-test-to = テスト メッセージの送信先
tenantadmin-mail-test = テスト メッセージを送信
tenantadmin-mail-remove = メールをオフにする
tenantadmin-mail-saved = メール サーバーを保存しました。テスト メッセージを送信して確認してください。
tenantadmin-mail-removed = メールはオフになりました。保存されていたパスワードは破棄されました。
tenantadmin-mail-sent = メール サーバーがテスト メッセージを受け付けました。
