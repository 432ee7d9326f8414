# pinreset 管理センター — 日本語 (UI の文字列)。エラーの理由と対処法は errors.ftl にあります。

## 枠
app-admin-center = 管理センター
skip-to-content = 本文へスキップ
header-tenant = 組織
language = 言語
language-apply = 適用
sign-out = サインアウト
nav-open = メニュー
nav-label = 管理センターのナビゲーション
nav-home = ホーム
nav-devices = デバイス
nav-device-actions = デバイスの操作
nav-profiles = 構成プロファイル
nav-users-groups = ユーザーとグループ
nav-tenant-admin = テナント管理
nav-readiness = リセットの準備状況
nav-audit = 監査ログ
nav-settings = 設定
nav-coming-soon = 準備中

## サインイン
sign-in-title = サインイン
sign-in-intro = 組織のデバイスを管理するには、職場のアカウントでサインインしてください。
sign-in-email = メール アドレス
sign-in-password = パスワード
sign-in-submit = サインイン
sign-in-wait-until = { $when } 以降にもう一度お試しいただけます。
sign-in-or = または
sign-in-sso = { $organisation } のアカウントでサインイン

## デバイス › すべてのデバイス
devices-all = すべてのデバイス
devices-search = 検索
devices-search-placeholder = 名前、モデル、シリアル番号、IMEI で検索
devices-platform = プラットフォーム
devices-platform-any = すべてのプラットフォーム
devices-ownership = 所有権
devices-ownership-any = すべての所有権
devices-owner-filter = 所有者: { $owner }
devices-owner-filter-remove = すべての所有者のデバイスを表示
devices-only-owner = この所有者のデバイスのみ
devices-clear = フィルターをクリア
devices-count = { $total } 台中 { $first }–{ $last } 台を表示
devices-none = 検索条件に一致するデバイスはありません。
paging-label = ページ
paging-previous = 前へ
paging-next = 次へ
col-name = デバイス名
col-owner = プライマリ ユーザー
col-platform = プラットフォーム
col-os-version = OS のバージョン
col-ownership = 所有権
col-management = 管理状態
col-last-check-in = 最終チェックイン
col-pending = 保留中の操作
pending-badge = 保留中
device-no-owner = プライマリ ユーザーなし
device-never = なし
management-managed = 管理対象
management-retired = 管理対象外

## デバイスの概要
device-actions-label = デバイスの操作
device-sync = 同期
device-why-link = 対処方法
device-pending = 保留中の操作: { $count } 件
device-properties = プロパティ
prop-name = デバイス名
prop-owner = プライマリ ユーザー
prop-platform = プラットフォーム
prop-os-version = OS のバージョン
prop-os-build = OS のビルド
prop-model = モデル
prop-serial = シリアル番号
prop-imei = IMEI
prop-ownership = 所有権
prop-management-mode = 管理モード
prop-join-type = Azure AD 参加の種類
prop-management-state = 管理状態
prop-enrolled = 登録日時
prop-last-check-in = 最終チェックイン
device-result-title = パスコードのリセット
device-result-show = パスコードを表示
device-result-show-pin = PIN を表示
device-result-expires = { $when } まで表示できます
device-result-removed = デバイスのパスコードは削除されました。ユーザーはロックを解除した後、新しいパスコードを設定します。
device-passcode-label = 一時パスコード
device-pin-label = ロックの PIN
device-passcode-hint = ユーザーには対面または電話で伝えてください。ロック解除後に変更するよう求められます。
device-copy = コピー
device-copied = コピーしました
device-copy-failed = パスコードを選択してコピーしてください
device-expires-in-days = 残り { $days } 日{ $hours ->
        [0] {""}
       *[other] {" "}{ $hours } 時間
    }で期限切れ
device-expires-in-hours = 残り { $hours } 時間で期限切れ
device-expires-in-minutes = 残り { $minutes } 分で期限切れ
device-expired = 期限切れ
confirm-lock-message = ロック画面のメッセージ
confirm-optional = (省略可)
confirm-lock-message-placeholder = 例: このデバイスはロックされています。IT 部門に連絡してください。
confirm-lock-phone = ロック画面の電話番号
confirm-lock-message-hint = ロックが解除されるまで、デバイスのロック画面に両方が表示されます。
device-history = 操作の履歴
device-history-none = このデバイスに対して要求された操作はありません。
device-detail = デバイスからの報告: { $detail }
device-commands = コマンドの履歴
device-commands-none = このデバイスにはまだコマンドが送信されていません。
col-action = 操作
col-state = 状態
col-requested = 要求日時
col-updated = 最終変更
col-outcome = 結果
col-time = 日時
col-direction = 方向
col-detail = 詳細
command-sent = 送信
command-answered = デバイスの応答
notice-queued = { $action } を要求しました。デバイスは次回のチェックイン時に実行します。
notice-synced = デバイスにチェックインを要求しました。

## 確認
confirm-title = { $action }: { $device }
confirm-submit = { $action }
confirm-cancel = キャンセル
confirm-new-name = 新しいデバイス名
confirm-reset-passcode-temporary = { $device } の現在のパスコードが一時パスコードに置き換えられます。デバイスが応答すると、デバイスのページで一時パスコードを 7 日間表示できます。
confirm-reset-passcode-clear = { $device } のパスコードが削除されます。一時パスコードは設定されません。ユーザーはパスコードなしでロックを解除し、新しいパスコードを設定します。
confirm-remote-lock = { $device } はすぐにロックされます。ユーザーは自分のパスコードでロックを解除します。
confirm-remote-lock-pin = { $device } は、このサーバーが生成する 6 桁の PIN でロックされます。PIN はデバイスのページで表示できます。
confirm-reset-device = { $device } は消去され、工場出荷時の設定に戻ります。デバイス上のすべてのデータが失われます。この操作は元に戻せません。
confirm-remove = { $device } は管理対象から削除されます。会社のアプリ、データ、設定が削除され、チェックインしなくなります。
confirm-rename = { $device } の名前を下の名前に変更します。

## 問題とエラー カタログ
problem-title = 問題が発生しました
problem-what-to-do = 対処方法
problem-code = エラー コード
problem-back = すべてのデバイスに戻る
errors-title = エラー カタログ
errors-intro = pinreset が報告するすべての拒否と失敗、およびその対処方法です。

## エンジンの値
action-reset-passcode = パスコードのリセット
action-remote-lock = リモート ロック
action-reset-device = デバイスのリセット
action-remove = 削除
action-rename = 名前の変更
state-requested = 要求済み
state-queued = キューに登録済み
state-delivered = デバイスに送信済み
state-acknowledged = 受信確認済み
state-succeeded = 成功
state-failed = 失敗
state-expired = 期限切れ
state-cancelled = 取り消し済み
result-temporary-passcode = 一時パスコードを設定済み
result-passcode-removed = パスコードを削除済み
result-lock-pin = PIN でロック済み
result-done = 完了
platform-windows = Windows
platform-windows_mobile = Windows 10 Mobile
platform-windows_phone = Windows Phone 8.1
platform-ios = iOS
platform-ipados = iPadOS
platform-macos = macOS
platform-android = Android
ownership-corporate = 会社
ownership-personal = 個人
mode-mdm = MDM
mode-user_enrollment = ユーザー登録
mode-shared_ipad = 共有 iPad
mode-device_admin = デバイス管理者
mode-device_owner = フル管理
mode-work_profile = 仕事用プロファイル
join-azure_ad_joined = Azure AD 参加済み
join-hybrid_azure_ad_joined = ハイブリッド Azure AD 参加済み
join-azure_ad_registered = Azure AD 登録済み
join-not_joined = 未参加
role-tenant_admin = テナント管理者
role-help_desk = ヘルプデスク オペレーター
role-read_only = 閲覧のみ
role-end_user = エンド ユーザー
