# pinreset detail catalogue — Swedish (svenska). Keys: detail-<code>; English lives in crates/core/src/detail.rs.

## Fält i en begäran

detail-field_empty = ”{ $field }” får inte vara tomt.
detail-field_too_long = ”{ $field }” får vara högst { $max } tecken.
detail-field_too_short = ”{ $field }” måste vara minst { $min } tecken.
detail-field_length = ”{ $field }” måste vara { $min } till { $max } tecken.
detail-field_out_of_range = ”{ $field }” måste vara mellan { $min } och { $max }.
detail-field_has_spaces = ”{ $field }” får inte innehålla blanksteg.
detail-mail_not_set_up = Ingen e-postserver är konfigurerad för organisationen; PUT /api/v1/tenant/mail konfigurerar en.
detail-mail_server_answer = E-postservern svarade: { $answer }
detail-field_not_host = ”{ $field }” måste vara ett värdnamn eller en adress, utan schema, port eller sökväg.
detail-field_not_email = ”{ $field }” måste vara en adress som namn@example.com.
detail-field_not_https = ”{ $field }” måste vara en https://-adress.
detail-field_has_nul = ”{ $field }” innehåller ett NUL-tecken (U+0000), vilket aldrig är giltig indata.
detail-field_has_control = ”{ $field }” innehåller tecknet { $character }; namn får inte innehålla kontrolltecken eller tecken som åsidosätter textriktningen.
detail-field_not_phone = ”{ $field }” måste vara ett telefonnummer: bara siffror, mellanslag och tecknen + - ( ) .
detail-field_only_for = ”{ $field }” gäller bara för { $action }.
detail-field_not_an_id = { $field } ”{ $value }” är inte ett giltigt id (ett UUID).
detail-field_not_a_time = { $field } ”{ $value }” är inte en tid enligt RFC 3339, till exempel 2026-11-23T08:00:00Z.
detail-field_unknown_value = { $field } ”{ $value }” är okänt; använd något av: { $allowed }.
detail-either_field = Ange antingen ”{ $first }” eller ”{ $second }”, inte båda och inte ingen av dem.
detail-body_shape = Förväntade { $expected }: { $problem }
detail-query_invalid = Frågesträngen är inte giltig: { $problem }
detail-path_invalid = Sökvägen är inte giltig: { $problem }
detail-no_such_endpoint = API-slutpunkten finns inte.
detail-page_cursor_invalid = ”{ $field }” är inte en sidposition som den här servern har lämnat ut. Börja om från första sidan.

## Inloggning

detail-bearer_format = Authorization-huvudet måste vara ”Bearer <token>”.
detail-token_not_valid = API-token är inte giltig.
detail-credentials_missing = Huvudet Authorization: Bearer <token> saknas (eller en session: logga in).
detail-session_ended = Sessionen har upphört; logga in igen.
detail-not_a_session = Begäran skickades med en API-token, inte med en session.
detail-wrong_credentials = E-postadressen eller lösenordet är inte korrekt.
detail-account_locked = För många misslyckade inloggningar för det här kontot; försök igen om { $seconds } sekunder eller be IT-avdelningen att låsa upp det.
detail-address_throttled = För många misslyckade inloggningar från ditt nätverk; försök igen om { $seconds } sekunder.
detail-sign_in_busy = Servern är upptagen med att kontrollera andra inloggningar; försök igen om några sekunder.
detail-account_not_locked = Kontot är inte spärrat.

## Enkel inloggning

detail-sso_issuer_not_https = Utfärdaren ”{ $issuer }” måste vara en https://-adress (http:// endast på en loopback-adress, för lokal utveckling).
detail-sso_claim_name = ”{ $claim }” är inte ett anspråksnamn (endast bokstäver, siffror och _ . : -).
detail-sso_discovery = OpenID-providern ”{ $issuer }” kunde inte hittas via discovery: { $problem }
detail-sso_state_mismatch = Inloggningssvaret hör inte till en inloggning som startades i den här webbläsaren, eller så har det redan använts eller tagit längre tid än 10 minuter.
detail-sso_provider_error = Identitetsprovidern nekade inloggningen: { $error }.
detail-sso_token_invalid = Identitetsproviderns ID-token avvisades: { $problem }
detail-sso_claim_missing = ID-token har inget anspråk ”{ $claim }” som en användare kan matchas mot.
detail-sso_no_such_user = Ingen aktiverad användare i den här organisationen har inloggningsnamnet eller e-postadressen ”{ $value }”.

## Användare, grupper, token

detail-no_such_user = Användaren finns inte.
detail-no_such_token = Användaren har ingen sådan API-token.
detail-no_such_group = Gruppen finns inte.
detail-no_such_group_or_member = Gruppen eller medlemmen finns inte i den här klientorganisationen.
detail-not_member_kind = members: { $member } är inte en { $kind } i den här klientorganisationen.
detail-too_many_members = En grupp kan skapas med högst { $max } medlemmar; lägg till fler efteråt.
detail-login_taken = Inloggningsnamnet ”{ $login }” används redan i den här klientorganisationen.
detail-reassign_to_self = ”reassign_to” måste vara en annan användare än den som tas bort.
detail-reassign_to_unknown = ”reassign_to” { $user } är inte en användare i den här klientorganisationen.
detail-owns_devices = { $login } är primär användare av { $count } enhet(er); ta bort med ?reassign_to=<user id> för att flytta dem till en annan användare.

## Konfigurationsprofiler

detail-setting_uri_prefix = Inställning { $index }: OMA-URI ”{ $uri }” måste börja med ./ (t.ex. ./Device/Vendor/MSFT/...).
detail-setting_uri_too_long = Inställning { $index }: OMA-URI:n är längre än { $max } tecken.
detail-setting_uri_spaces = Inställning { $index }: OMA-URI ”{ $uri }” innehåller blanktecken eller kontrolltecken.
detail-setting_uri_empty_segment = Inställning { $index }: OMA-URI ”{ $uri }” har ett tomt segment (// eller ett avslutande /).
detail-setting_value_type = Inställning { $index } ({ $uri }): värdet ”{ $value }” är inte giltigt som { $data_type }.
detail-setting_twice = Inställning { $index }: { $uri } förekommer två gånger i den här profilen.
detail-setting_not_windows = Inställning { $index }: { $platform } är inte en Windows-plattform.
detail-settings_count = En profil måste ha 1 till { $max } inställningar.
detail-no_such_group_for_profile = Gruppen { $group } finns inte i den här klientorganisationen.

## Åtgärder, enheter, klientorganisationer

detail-unknown_action = Okänd åtgärd ”{ $action }”; använd reset-passcode, remote-lock, reset-device, remove eller rename.
detail-rename_needs_name = Namnbyte kräver ett ”name” som inte är tomt.
detail-action_already_finished = Åtgärden har redan statusen { $state }.
detail-reenrollment_decided = Begäran om omregistrering har redan avgjorts.
detail-reenrollment_lapsed = Begäran om omregistrering har gått ut; användaren måste försöka registrera enheten igen.
detail-apns_cert_no_topic = Certifikatet är inte ett MDM-pushcertifikat (dess subjekt saknar ett UID-ämne).
detail-apns_key_mismatch = Den privata nyckeln hör inte till certifikatet eller är inte i PEM-format.
detail-store_conflict = Konflikt: { $what }.
detail-store_invalid = Ogiltig indata: { $what }.
detail-step_up_not_asked = Den här sessionen har inte bekräftat att det är du för den här enheten: begär återställningen igen och logga in igen när du ombeds.
detail-step_up_before_request = Inloggningen hos identitetsprovidern ({ $signed_in }) skedde innan du begärde återställning av enhetens lösenord ({ $asked }): logga in igen hos providern, med ditt lösenord.
detail-step_up_too_old = Din inloggning ({ $signed_in }) är mer än { $minutes } minuter gammal: begär återställningen igen.
detail-step_up_no_auth_time = Identitetsprovidern angav inte när du loggade in (auth_time), så inloggningen kan inte räknas som en ny.
detail-resets_per_device = Högst { $limit } lösenordsåterställningar per enhet och timme kan begäras från portalen; försök igen om { $wait }.
detail-resets_per_user = Du kan begära högst { $limit } lösenordsåterställningar per timme; försök igen om { $wait }.
detail-bulk_one_selection = Välj enheterna på ett sätt: exakt ett av device_ids, group_id och filter.
detail-android_enterprise_not_bound = Inget Android Enterprise är kopplat till organisationen; PUT /api/v1/tenant/android-enterprise kopplar ett.
detail-android_enterprise_name = { $field } ”{ $value }” måste se ut som { $shape }.
detail-service_account_key = Tjänstkontots nyckel kan inte användas: { $problem }.
detail-google_answer = Google svarade: { $answer }
