# pinreset error catalogue — Swedish (svenska). Keys: err-<code> (reason) and .remedy; English lives in crates/core/src/error.rs.

err-invalid_input = Begäran är inte giltig.
    .remedy = Rätta det markerade fältet och skicka begäran igen.

err-unauthenticated = Inga giltiga autentiseringsuppgifter angavs.
    .remedy = Logga in igen eller använd en giltig API-token.

err-role_forbidden = Din roll tillåter inte den här åtgärden.
    .remedy = Be en klientorganisationsadministratör att utföra den eller att ge dig en roll som tillåter den.

err-not_device_owner = Endast enhetens primära användare kan göra detta från självbetjäningsportalen.
    .remedy = Logga in som enhetens ägare eller kontakta företagets support.

err-not_found = Det begärda objektet finns inte eller är inte synligt för dig.
    .remedy = Kontrollera identifieraren; enheten kan ha tagits bort.

err-conflict = Objektet har ändrats eller finns redan.
    .remedy = Läs in sidan igen och försök på nytt.

err-sign_in_locked = För många misslyckade inloggningar för det här kontot, så det är spärrat en stund.
    .remedy = Vänta tills spärren upphör (svaret anger när) eller be en klientorganisationsadministratör att låsa upp kontot.

err-sign_in_throttled = För många misslyckade inloggningar kom från din nätverksadress.
    .remedy = Vänta så länge som svaret anger innan du försöker igen, och kontrollera e-postadressen och lösenordet.

err-server_busy = Servern kontrollerar för många lösenord samtidigt.
    .remedy = Försök igen om några sekunder.

err-csrf_token_missing = Ändringen skickades med en sessionscookie men utan sessionens CSRF-token.
    .remedy = Läs in sidan igen och försök på nytt; skript som använder API:t ska skicka X-CSRF-Token-huvudet som de fick vid inloggningen, eller använda en API-token.

err-reauth_required = Den här åtgärden kräver en nyligen gjord inloggning (inom organisationens tidsgräns, som standard 5 minuter).
    .remedy = Logga in igen för att bekräfta att det är du och upprepa sedan åtgärden inom tidsgränsen.

err-sso_not_configured = Enkel inloggning är inte konfigurerad för den här organisationen.
    .remedy = Logga in med din e-postadress och ditt lösenord, eller be en klientorganisationsadministratör att konfigurera enkel inloggning (Klientadministration > Enkel inloggning).

err-sso_refused = Svaret från din organisations identitetsprovider kunde inte godtas.
    .remedy = Logga in igen från början; om det händer igen, tala om för din administratör vilken tid det hände (serverns logg anger orsaken).

err-sso_unknown_user = Din identitetsprovider loggade in dig, men den här organisationen har ingen aktiverad pinreset-användare med det namnet.
    .remedy = Be IT-avdelningen att lägga till dig i pinreset (eller att aktivera ditt konto).

err-sso_provider_unreachable = Identitetsprovidern kunde inte nås eller svarade inte som en OpenID-provider.
    .remedy = Kontrollera utfärdarens adress (issuer) och att providern är igång (och, för en privat CA, att servern startades med --oidc-ca-file) och försök sedan igen.
err-mail_not_sent = E-postservern tog inte emot meddelandet.
    .remedy = Kontrollera värd, port, säkerhet och inloggning i e-postinställningarna, och att servern tar emot e-post från pinreset för den avsändaren; serverns svar står i detaljerna.

err-login_taken = En annan användare i den här klientorganisationen har redan det här inloggningsnamnet.
    .remedy = Välj ett annat inloggningsnamn eller ändra den befintliga användaren i stället.

err-last_tenant_admin = Det här är klientorganisationens sista aktiverade klientorganisationsadministratör: utan en sådan kan ingen hantera klientorganisationen.
    .remedy = Gör först en annan användare till klientorganisationsadministratör (eller aktivera en) och försök sedan igen.

err-user_owns_devices = Användaren är primär användare av enheter som då skulle stå utan ägare.
    .remedy = Ta bort med reassign_to=<user id> för att flytta enheterna till en annan användare, eller tilldela dem på nytt först.

err-tenant_not_onboarded = Din organisation har ännu inte godkänt tjänsten för PIN-återställning.
    .remedy = En klientorganisationsadministratör måste ge sitt medgivande till tjänsten för PIN-återställning under Administration av klientorganisation och sedan försöka igen.

err-corporate_device_self_service = Lösenordsåterställning för företagsägda enheter är inte tillgänglig i självbetjäningsportalen.
    .remedy = Kontakta företagets support: supportavdelningen kan återställa lösenordet för den här företagsenheten.

err-self_service_action_off = Din organisation erbjuder inte den här åtgärden i självbetjäningsportalen.
    .remedy = Kontakta IT-supporten (portalen visar hur); en administratör kan utföra åtgärden åt dig.

err-windows_mobile_too_old = Lösenordsåterställning kräver Windows 10 Mobile Creators Update (build 15063) eller senare.
    .remedy = Uppdatera enheten till Windows 10 Mobile build 15063 eller senare, eller återställ enheten.

err-windows_not_aad_joined = Lösenordsåterställning kräver att enheten är ansluten till Azure AD.
    .remedy = Anslut enheten till Azure AD (Inställningar > Konton > Få åtkomst till arbete eller skola) och försök sedan igen.

err-windows_desktop_unsupported = Servern kan inte återställa PIN-koden på Windows 10/11-datorer.
    .remedy = Använd PIN-återställning på låsskärmen (”Jag har glömt min PIN-kod”); tilldela en profil som anger EnablePinRecovery så att enheten stöder det.

err-macos_unsupported = macOS stöder inte lösenordsåterställning från servern.
    .remedy = Använd Fjärrlåsning: Mac-datorn låses med en 6-siffrig PIN-kod som den här servern visar för dig.

err-ios_no_unlock_token = Servern har ingen UnlockToken för den här enheten och kan därför inte ta bort lösenordet.
    .remedy = Enheten måste registrera sig på nytt (eller skicka en TokenUpdate med en UnlockToken) innan lösenordet kan tas bort; annars får du återställa enheten.

err-ios_unlock_token_rejected = Enheten avvisade den deponerade UnlockToken: den matchar inte längre enhetens nycklar.
    .remedy = Be användaren installera om registreringsprofilen (dess TokenUpdate deponerar en ny UnlockToken) och försök igen, eller återställ enheten.

err-ios_user_enrollment = Enheter som registrerats med Användarregistrering tillåter inte att lösenordet tas bort.
    .remedy = Ägaren återställer lösenordet på enheten; IT kan bara ta bort hanterade data.

err-ios_shared_ipad = Shared iPad har inget enhetslösenord som servern kan ta bort.
    .remedy = Logga ut användaren från Shared iPad eller återställ enheten.

err-android_device_admin_unsupported = Android 7.0 och senare tillåter inte att enhetsadministratörer återställer lösenordet.
    .remedy = Fabriksåterställ enheten (Återställ enhet) och registrera den sedan som fullständigt hanterad eller med en arbetsprofil för att kunna använda lösenordsåterställning.

err-android_no_reset_token = Enheten har ingen aktiv token för lösenordsåterställning.
    .remedy = Öppna hanteringsappen på enheten och godkänn frågan om lösenordsåterställning, och försök sedan igen.

err-android_unsupported_mode = Lösenordsåterställning stöds inte för den här Android-versionen och hanteringsmetoden.
    .remedy = Uppdatera enheten till Android 8.0 eller senare med en arbetsprofil eller som fullständigt hanterad, eller fabriksåterställ den.

err-android_passcode_rejected = Enheten avvisade det tillfälliga lösenordet: det uppfyller inte lösenordsprincipen på enheten.
    .remedy = Anpassa klientens inställningar för tillfälliga lösenord (längd, bokstäver och siffror) till enhetens lösenordsprincip och återställ sedan igen.

err-windows_desktop_no_remote_lock = Windows 10/11-datorer stöder inte fjärrlåsning.
    .remedy = Be användaren låsa datorn (Windows+L), eller återställ enheten om den har förlorats.

err-user_enrollment_no_wipe = En enhet som registrerats med Användarregistrering tillhör användaren och kan inte rensas av organisationen.
    .remedy = Använd Ta bort för att radera de hanterade apparna och data i stället.

err-work_profile_no_wipe = En personlig enhet med en arbetsprofil kan inte rensas av organisationen.
    .remedy = Använd Ta bort för att radera arbetsprofilen i stället.

err-channel_cannot_deliver = Den här servern kan inte skicka den åtgärden till den här typen av enhet.
    .remedy = Välj en annan åtgärd för enheten eller utför den på själva enheten.

err-apple_rename_unsupported = Apple-enheter kan bara byta namn med MDM-kommandot Settings på övervakade enheter, vilket den här servern inte skickar.
    .remedy = Byt namn på själva enheten (Inställningar > Allmänt > Om > Namn; på en Mac: Systeminställningar > Allmänt > Delning).

err-action_not_supported = Enheten stöder inte den åtgärden.
    .remedy = Välj en annan åtgärd för enheten.

err-device_reenrolled = Enheten registrerades på nytt, så kommandon som köats för den tidigare registreringen togs bort.
    .remedy = Begär åtgärden igen.

err-device_already_enrolled = Enheten är redan registrerad, och registreringen visade inte att det är samma enhet.
    .remedy = En klientorganisationsadministratör måste godkänna omregistreringen (Omregistreringar i administrations-API:t: pinreset reenrollments approve ID); registrera sedan enheten igen inom 24 timmar.

err-device_enrolled_elsewhere = Enheten är registrerad av en annan organisation på den här servern.
    .remedy = Ta först bort enheten från den andra organisationens hantering och registrera den sedan igen.

err-enrollment_identity_spent = Den här registreringsprofilen har redan använts av en annan enhet.
    .remedy = Ladda ned en ny registreringsprofil för den här enheten.

err-reenrollment_not_pending = Begäran om omregistrering har redan avgjorts eller har gått ut.
    .remedy = Be användaren registrera enheten igen: då skapas en ny begäran.

err-device_retired = Enheten hanteras inte längre.
    .remedy = Registrera enheten igen för att hantera den.

err-passcode_expired = Det tillfälliga lösenordet har gått ut och tagits bort (de sparas i 7 dagar).
    .remedy = Återställ lösenordet igen för att få ett nytt tillfälligt lösenord.

err-passcode_not_available = Den här åtgärden har inget tillfälligt lösenord att visa.
    .remedy = Endast en lyckad lösenordsåterställning på en enhet som använder tillfälliga lösenord ger ett sådant; på iOS-enheter tas lösenordet i stället bort.

err-action_expired = Enheten svarade inte inom åtgärdens giltighetstid.
    .remedy = Kontrollera att enheten är påslagen och ansluten till nätverket och begär sedan åtgärden igen.

err-action_not_pending = Åtgärden har redan slutförts.
    .remedy = Begär en ny åtgärd vid behov.

err-device_rejected = Enheten avvisade kommandot.
    .remedy = Se enhetsinformationen för den status som enheten rapporterade; kontrollera att den uppfyller kraven och försök sedan igen.

err-device_no_pin_set = Ingen PIN-kod har angetts på enheten, så den kan inte låsas.
    .remedy = Be användaren ange en PIN-kod på enheten, eller återställ enheten.

err-device_no_passcode_returned = Enheten rapporterade att åtgärden lyckades men returnerade inget nytt lösenord.
    .remedy = Försök med återställningen igen; om det upprepas återställer du enheten.

err-internal = Något gick fel på servern.
    .remedy = Försök igen; om felet kvarstår, ge begäran-ID:t till din administratör.

err-reset_rate_limited = För många lösenordsåterställningar har begärts den senaste timmen, för den här enheten eller av dig.
    .remedy = Vänta till den tidpunkt som anges i svaret och försök sedan igen; om du är utelåst just nu, kontakta IT-supporten.

err-amapi_command_unsupported = Android Device Policy på enheten stöder inte det här kommandot.
    .remedy = Uppdatera Android Device Policy på enheten (Google Play) och försök sedan igen.

err-amapi_command_gave_up = Enheten utförde inte kommandot inom den tid det fick, så pinreset slutade vänta på det.
    .remedy = Se till att enheten är på och ansluten och begär sedan åtgärden igen.

err-google_unreachable = Googles Android Management API gick inte att nå eller avvisade begäran.
    .remedy = Kontrollera företagskopplingen (företagsnamn, tjänstkontots nyckel och dess roller) och att servern når Google; svaret finns i detaljerna.
