# pinreset administrationscenter — svenska: Klientadministration (PIN-återställningstjänst,
# Företagsprogram, Enkel inloggning), Inställningar och Konfigurationsprofiler.

tenantadmin-save = Spara

## Klientadministration › PIN-återställningstjänst
tenantadmin-consent-title = PIN-återställningstjänst
tenantadmin-consent-intro = Lösenordsåterställning på Windows bygger på två program i den här servern. Som klientadministratör samtycker du för organisationens räkning till vad vart och ett får göra. Fram till dess nekas lösenordsåterställningar på Windows.
tenantadmin-consent-may = Det här programmet får:
tenantadmin-app-service = PIN-återställningstjänst
tenantadmin-app-service-about = Serversidan: den skapar den tillfälliga PIN-koden och lämnar den till enheten i skyddad form.
tenantadmin-perm-service-signin = Logga in som organisationens program och läsa organisationens grundläggande profil
tenantadmin-perm-service-reset = Skapa en tillfällig PIN-kod för en Windows-enhet när en administratör eller ägaren begär en lösenordsåterställning
tenantadmin-perm-service-directory = Läsa organisationens katalog-ID i Azure AD, för att adressera enheternas PassportForWork-inställningar
tenantadmin-app-client = PIN-återställningsklient
tenantadmin-app-client-about = Enhetssidan: den hanterade Windows-enheten använder den för att ta emot den nya PIN-koden och ersätta den nuvarande.
tenantadmin-perm-client-signin = Logga in på organisationens Windows-enheter som enhetens användare
tenantadmin-perm-client-service = Anropa PIN-återställningstjänsten för den användarens räkning, för att ta emot den nya PIN-koden
tenantadmin-consent-revocable = Du kan när som helst återkalla samtycket på den här sidan; lösenordsåterställningar på Windows nekas då igen.
tenantadmin-consent-accept = Godkänn
tenantadmin-consent-revoke = Återkalla samtycke
tenantadmin-consent-missing = Din organisation har inte samtyckt ännu: lösenordsåterställning på Windows nekas.
tenantadmin-consent-given = Samtycke gavs av { $by } { $when }.
tenantadmin-consent-given-unknown = Samtycke har getts.
tenantadmin-consent-admins-only = Endast en klientadministratör kan godkänna.
tenantadmin-consent-revoked-notice = Samtycket återkallades. Lösenordsåterställning på Windows nekas tills en klientadministratör godkänner igen.
tenantadmin-consent-accepted-notice = Samtycke gavs: båda programmen är aktiverade och lösenordsåterställning på Windows är tillgänglig.
tenantadmin-consent-link = Samtyck till PIN-återställningstjänsten

## Klientadministration › Företagsprogram
tenantadmin-apps-title = Företagsprogram
tenantadmin-col-app = Program
tenantadmin-col-status = Status
tenantadmin-col-consented-by = Samtycke av
tenantadmin-col-consented-at = Samtycke den
tenantadmin-enabled = Aktiverat
tenantadmin-not-consented = Inget samtycke

## Klientadministration › Enkel inloggning
tenantadmin-sso-title = Enkel inloggning
tenantadmin-sso-current = Nuvarande konfiguration
tenantadmin-sso-none = Enkel inloggning är inte konfigurerad: användarna loggar in med e-postadress och lösenord.
tenantadmin-sso-issuer = Utfärdare (issuer)
tenantadmin-sso-client-id = Klient-ID
tenantadmin-sso-client-secret = Klienthemlighet
tenantadmin-sso-login-claim = Inloggningsanspråk
tenantadmin-sso-redirect = Omdirigerings-URI att registrera hos leverantören
tenantadmin-sso-redirect-register = Registrera den här omdirigerings-URI:n hos din OpenID-leverantör:
tenantadmin-sso-remove = Ta bort enkel inloggning
tenantadmin-sso-set-up = Konfigurera enkel inloggning
tenantadmin-sso-replace = Ersätt konfigurationen
tenantadmin-sso-secret-hint = Lagras krypterad och visas aldrig igen: skriv in den varje gång du sparar.
tenantadmin-sso-claim-hint = Anspråket i ID-token som anger användaren: inloggningsnamn eller e-postadress (standard: email).
tenantadmin-sso-saved = Enkel inloggning sparades. Inloggningssidan erbjuder den nu.
tenantadmin-sso-removed = Enkel inloggning togs bort.

## Inställningar
tenantadmin-settings-saved = Inställningarna sparades.
tenantadmin-settings-passcode = Tillfälligt lösenord
tenantadmin-settings-passcode-intro = Enheten avgör komplexiteten: enheter som tar emot bokstäver får bokstäver och siffror utan förväxlingsbara tecken (inga 0/O, 1/l/I); övriga får siffror utan enkla serier som 1234.
tenantadmin-settings-alphanumeric = Längd på lösenord med bokstäver och siffror
tenantadmin-settings-alphanumeric-hint = { $min } till { $max } tecken.
tenantadmin-settings-numeric = Längd på numeriska lösenord (PIN-koder)
tenantadmin-settings-numeric-hint = { $min } till { $max } siffror.
tenantadmin-settings-support = Företagets supportkontakt
tenantadmin-settings-support-intro = Visas för användarna i självbetjäningsportalen. Lämna ett fält tomt för att dölja det.
tenantadmin-settings-support-name = Namn
tenantadmin-settings-support-phone = Telefonnummer
tenantadmin-settings-support-email = E-postadress
tenantadmin-settings-support-web = Webbsida (https://)
tenantadmin-settings-self-service = Självbetjäningsåtgärder
tenantadmin-settings-self-service-intro = De åtgärder användarna får utföra på sina egna enheter i självbetjäningsportalen. En åtgärd som stängs av här nekas dem; administratörer och supportavdelningen påverkas inte.
tenantadmin-settings-reauth = Tidsfönster för ny autentisering
tenantadmin-settings-reauth-minutes = Minuter
tenantadmin-settings-reauth-hint = En användare måste ha loggat in inom så här många minuter (1 till 60) för att återställa sitt lösenord eller se det i portalen.

## Konfigurationsprofiler
tenantadmin-profiles-none = Inga konfigurationsprofiler ännu.
tenantadmin-profile-new = Skapa profil
tenantadmin-profile-from-template = Skapa från mallen för PIN-återställning
tenantadmin-profile-edit = Redigera profil
tenantadmin-profile-platform = Plattform: Windows 10 och senare. Profiltyp: Anpassad (OMA-URI-inställningar).
tenantadmin-profile-name = Namn
tenantadmin-profile-description = Beskrivning
tenantadmin-profile-settings = OMA-URI-inställningar
tenantadmin-col-profile = Profil
tenantadmin-col-settings = Inställningar
tenantadmin-col-version = Version
tenantadmin-col-oma-uri = OMA-URI
tenantadmin-col-data-type = Datatyp
tenantadmin-col-value = Värde
tenantadmin-col-applies-to = Gäller för
tenantadmin-remove-setting = Ta bort
tenantadmin-add-setting = + Lägg till inställning
tenantadmin-add-pin-recovery = + EnablePinRecovery (mall)
tenantadmin-pin-recovery-hint = Mallen fyller i organisationens katalog-ID. EnablePinRecovery gäller endast Windows-datorer; telefoner visas som Inte tillämpligt.
tenantadmin-profile-pin-recovery-name = PIN-återställning för Windows
tenantadmin-profile-saved = Profilen sparades. Tilldelade enheter får den vid nästa incheckning.
tenantadmin-profile-assigned = Tilldelningarna sparades.
tenantadmin-profile-version = Version { $version }
tenantadmin-profile-updated = Senast ändrad { $when }
tenantadmin-profile-status = Enhetsstatus
tenantadmin-status-filter = Filtrera efter status
tenantadmin-status-all = Alla ({ $count })
tenantadmin-status-none-in-filter = Ingen enhet har den här statusen.
tenantadmin-status-unassigned = Profilen är inte tilldelad någon enhet ännu.
tenantadmin-status-error-detail = Enheten svarade status { $status } för { $uri }.
tenantadmin-status-conflict-detail = Profilen ”{ $profile }” sätter { $uri } till ett annat värde.
tenantadmin-state-succeeded = Lyckades
tenantadmin-state-error = Fel
tenantadmin-state-conflict = Konflikt
tenantadmin-state-pending = Väntar
tenantadmin-state-not_applicable = Inte tillämpligt
tenantadmin-assignments = Tilldelningar
tenantadmin-included = Inkluderade grupper
tenantadmin-excluded = Exkluderade grupper
tenantadmin-col-group = Grupp
tenantadmin-col-group-kind = Typ
tenantadmin-include = Inkludera
tenantadmin-exclude = Exkludera
tenantadmin-not-assigned = Inte tilldelad
tenantadmin-group-user = Användare
tenantadmin-group-device = Enheter
tenantadmin-save-assignments = Spara tilldelningar

# Tenant administration › E-mail
tenantadmin-mail-title = E-post
tenantadmin-mail-intro = När en återställning av lösenord, en fjärrlåsning eller en återställning av en enhet är klar får enhetens ägare ett e-postmeddelande via organisationens e-postserver, med en länk till portalen. Ett tillfälligt lösenord skickas aldrig via e-post.
tenantadmin-mail-none = Ingen e-postserver är konfigurerad: användarna ser sina aviseringar bara i portalen.
tenantadmin-mail-set-up = Konfigurera e-post
tenantadmin-mail-host = SMTP-server
tenantadmin-mail-port = Port
tenantadmin-mail-security = Anslutningssäkerhet
tenantadmin-mail-security-starttls = STARTTLS (oftast port 587)
tenantadmin-mail-security-tls = TLS (oftast port 465)
tenantadmin-mail-security-none = Ingen: bara för ett relä i ert eget nätverk (port 25)
tenantadmin-mail-from = Avsändaradress
tenantadmin-mail-username = Inloggningsnamn
tenantadmin-mail-password = Lösenord
tenantadmin-mail-password-stored = lösenord sparat
tenantadmin-mail-password-none = inget lösenord
tenantadmin-mail-no-sign-in = Ingen (servern tar emot e-post utan inloggning)
tenantadmin-mail-language = E-postmeddelandenas språk
tenantadmin-mail-test-to = Skicka ett testmeddelande till
tenantadmin-mail-test = Skicka testmeddelande
tenantadmin-mail-remove = Stäng av e-post
tenantadmin-mail-saved = E-postservern sparades. Skicka ett testmeddelande för att kontrollera den.
tenantadmin-mail-removed = E-post är avstängd; det sparade lösenordet har förstörts.
tenantadmin-mail-sent = E-postservern tog emot testmeddelandet.
