# pinreset detail catalogue — Italian (italiano). Keys: detail-<code>; English lives in crates/core/src/detail.rs.

## Campi della richiesta

detail-field_empty = "{ $field }" non può essere vuoto.
detail-field_too_long = "{ $field }" deve contenere al massimo { $max } caratteri.
detail-field_too_short = "{ $field }" deve contenere almeno { $min } caratteri.
detail-field_length = "{ $field }" deve contenere da { $min } a { $max } caratteri.
detail-field_out_of_range = "{ $field }" deve essere compreso tra { $min } e { $max }.
detail-field_has_spaces = "{ $field }" non può contenere spazi.
detail-mail_not_set_up = Nessun server di posta è configurato per questa organizzazione; PUT /api/v1/tenant/mail ne configura uno.
detail-mail_server_answer = Il server di posta ha risposto: { $answer }
detail-field_not_host = "{ $field }" deve essere un nome host o un indirizzo, senza schema, porta o percorso.
detail-field_not_email = "{ $field }" deve essere un indirizzo come nome@example.com.
detail-field_not_https = "{ $field }" deve essere un indirizzo https://.
detail-field_has_nul = "{ $field }" contiene un carattere NUL (U+0000), che non è mai un input valido.
detail-field_has_control = "{ $field }" contiene il carattere { $character }; i nomi non possono contenere caratteri di controllo o di override bidirezionale.
detail-field_not_phone = "{ $field }" deve essere un numero di telefono: solo cifre, spazi e i caratteri + - ( ) .
detail-field_only_for = "{ $field }" si applica solo a { $action }.
detail-field_not_an_id = { $field } "{ $value }" non è un ID valido (un UUID).
detail-field_not_a_time = { $field } "{ $value }" non è una data e ora RFC 3339, ad esempio 2026-11-23T08:00:00Z.
detail-field_unknown_value = { $field } "{ $value }" non è riconosciuto; usare uno dei seguenti valori: { $allowed }.
detail-either_field = Specificare "{ $first }" oppure "{ $second }", non entrambi né nessuno dei due.
detail-body_shape = Era previsto { $expected }: { $problem }
detail-query_invalid = La stringa di query non è valida: { $problem }
detail-path_invalid = Il percorso non è valido: { $problem }
detail-no_such_endpoint = Endpoint API inesistente.
detail-page_cursor_invalid = "{ $field }" non è una posizione di pagina fornita da questo server; ricominciare dalla prima pagina.

## Accesso

detail-bearer_format = L'intestazione Authorization deve essere "Bearer <token>".
detail-token_not_valid = Il token API non è valido.
detail-credentials_missing = Manca l'intestazione Authorization: Bearer <token> (o una sessione: accedere).
detail-session_ended = La sessione è terminata; accedere di nuovo.
detail-not_a_session = Questa richiesta è stata inviata con un token API, non con una sessione.
detail-wrong_credentials = L'indirizzo e-mail o la password non sono corretti.
detail-account_locked = Troppi accessi non riusciti per questo account; riprovare tra { $seconds } secondi oppure chiedere al reparto IT di sbloccarlo.
detail-address_throttled = Troppi accessi non riusciti dalla propria rete; riprovare tra { $seconds } secondi.
detail-sign_in_busy = Il server è occupato a verificare altri accessi; riprovare tra qualche secondo.
detail-account_not_locked = L'account non è bloccato.

## Single sign-on

detail-sso_issuer_not_https = L'emittente "{ $issuer }" deve essere un indirizzo https:// (http:// solo su un indirizzo di loopback, per lo sviluppo locale).
detail-sso_claim_name = "{ $claim }" non è un nome di attestazione (solo lettere, cifre e _ . : -).
detail-sso_discovery = Non è stato possibile individuare il provider OpenID "{ $issuer }": { $problem }
detail-sso_state_mismatch = La risposta di accesso non appartiene a un accesso avviato in questo browser, oppure è già stata usata o ha richiesto più di 10 minuti.
detail-sso_provider_error = Il provider di identità ha rifiutato l'accesso: { $error }.
detail-sso_token_invalid = Il token ID del provider di identità è stato rifiutato: { $problem }
detail-sso_claim_missing = Il token ID non contiene l'attestazione "{ $claim }" con cui associare un utente.
detail-sso_no_such_user = Nessun utente abilitato di questa organizzazione ha il nome di accesso o l'indirizzo e-mail "{ $value }".

## Utenti, gruppi, token

detail-no_such_user = Utente inesistente.
detail-no_such_token = L'utente non ha questo token API.
detail-no_such_group = Gruppo inesistente.
detail-no_such_group_or_member = Gruppo o membro inesistente in questo tenant.
detail-not_member_kind = members: { $member } non è un { $kind } di questo tenant.
detail-too_many_members = Un gruppo può essere creato con al massimo { $max } membri; aggiungerne altri in seguito.
detail-login_taken = Il nome di accesso "{ $login }" è già in uso in questo tenant.
detail-reassign_to_self = "reassign_to" deve indicare un utente diverso da quello eliminato.
detail-reassign_to_unknown = "reassign_to" { $user } non è un utente di questo tenant.
detail-owns_devices = { $login } è l'utente primario di { $count } dispositivo/i; eliminare con ?reassign_to=<user id> per spostarli a un altro utente.

## Profili di configurazione

detail-setting_uri_prefix = Impostazione { $index }: l'OMA-URI "{ $uri }" deve iniziare con ./ (ad es. ./Device/Vendor/MSFT/...).
detail-setting_uri_too_long = Impostazione { $index }: l'OMA-URI supera { $max } caratteri.
detail-setting_uri_spaces = Impostazione { $index }: l'OMA-URI "{ $uri }" contiene spazi vuoti o caratteri di controllo.
detail-setting_uri_empty_segment = Impostazione { $index }: l'OMA-URI "{ $uri }" ha un segmento vuoto (// o una / finale).
detail-setting_value_type = Impostazione { $index } ({ $uri }): il valore "{ $value }" non è valido come { $data_type }.
detail-setting_twice = Impostazione { $index }: { $uri } compare due volte in questo profilo.
detail-setting_not_windows = Impostazione { $index }: { $platform } non è una piattaforma Windows.
detail-settings_count = Un profilo richiede da 1 a { $max } impostazioni.
detail-no_such_group_for_profile = Il gruppo { $group } non esiste in questo tenant.

## Operazioni, dispositivi, tenant

detail-unknown_action = Operazione sconosciuta "{ $action }"; usare reset-passcode, remote-lock, reset-device, remove o rename.
detail-rename_needs_name = Per rinominare occorre un "name" non vuoto.
detail-action_already_finished = L'operazione è già nello stato { $state }.
detail-reenrollment_decided = La richiesta di nuova registrazione è già stata decisa.
detail-reenrollment_lapsed = La richiesta di nuova registrazione è scaduta; l'utente deve provare di nuovo a registrare il dispositivo.
detail-apns_cert_no_topic = Il certificato non è un certificato push MDM (il suo soggetto non contiene un topic UID).
detail-apns_key_mismatch = La chiave privata non appartiene al certificato oppure non è in formato PEM.
detail-store_conflict = Conflitto: { $what }.
detail-store_invalid = Input non valido: { $what }.
detail-step_up_not_asked = Questa sessione non ha ancora confermato l'identità dell'utente per questo dispositivo: richiedere di nuovo la reimpostazione e accedere di nuovo quando richiesto.
detail-step_up_before_request = L'accesso presso il provider di identità ({ $signed_in }) è avvenuto prima della richiesta di reimpostazione del passcode ({ $asked }): accedere di nuovo presso il provider, con la propria password.
detail-step_up_too_old = L'accesso ({ $signed_in }) risale a più di { $minutes } minuti fa: richiedere di nuovo la reimpostazione.
detail-step_up_no_auth_time = Il provider di identità non ha indicato quando è stato eseguito l'accesso (auth_time), quindi l'accesso non può essere considerato nuovo.
detail-resets_per_device = Dal portale si possono richiedere al massimo { $limit } reimpostazioni del passcode per dispositivo ogni ora; riprovare tra { $wait }.
detail-resets_per_user = Si possono richiedere al massimo { $limit } reimpostazioni del passcode ogni ora; riprovare tra { $wait }.
detail-bulk_one_selection = Scegliere i dispositivi in un solo modo: esattamente uno tra device_ids, group_id e filter.
detail-android_enterprise_not_bound = Nessun Android Enterprise è collegato a questa organizzazione; PUT /api/v1/tenant/android-enterprise ne collega uno.
detail-android_enterprise_name = { $field } "{ $value }" deve avere la forma { $shape }.
detail-service_account_key = La chiave dell'account di servizio non è utilizzabile: { $problem }.
detail-google_answer = Google ha risposto: { $answer }
