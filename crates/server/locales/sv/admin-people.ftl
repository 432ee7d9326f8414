# Användare och grupper: användare, roller, API-token, användar- och enhetsgrupper (svenska).

people-users = Användare
people-groups = Grupper

## Vad varje roll får göra (från motorns regler)
roles-title = Vad varje roll får göra
roles-actions = Enhetsåtgärder: { $actions }
roles-no-actions = Inga enhetsåtgärder
roles-own-devices-only = Endast egna enheter, i självbetjäningsportalen
roles-show-passcodes = Visa tillfälliga lösenkoder och lås-PIN
perm-read_tenant = Se organisationen och dess inställningar
perm-manage_tenant = Ändra inställningar, samtycke för PIN-återställning, push-certifikat och enkel inloggning
perm-read_all_devices = Se organisationens alla enheter
perm-read_audit = Läsa granskningsloggen
perm-read_profiles = Se konfigurationsprofiler
perm-manage_profiles = Skapa, ändra och tilldela konfigurationsprofiler
perm-issue_enrollment_profiles = Ladda ned registreringsprofiler
perm-read_reenrollments = Se begäranden om omregistrering
perm-decide_reenrollments = Godkänna eller avslå omregistreringar
perm-read_users = Se användare och grupper
perm-manage_users = Hantera användare, grupper, roller och API-token
perm-read_sign_in_lockouts = Se spärrade inloggningar
perm-unlock_accounts = Låsa upp spärrade konton

## Användare
users-new = Ny användare
users-search = Sök
users-search-placeholder = Sök på namn, inloggning eller e-post
users-role = Roll
users-role-any = Alla roller
users-count =
    { $total ->
        [one] 1 användare
       *[other] { $total } användare
    }
users-none = Inga användare matchar sökningen.
users-col-name = Visningsnamn
users-col-login = Inloggning
users-col-email = E-postadress
users-col-role = Roll
users-col-status = Status
users-col-password = Lösenord
users-enabled = Aktiverad
users-disabled = Inaktiverad
users-password-set = Angivet
users-password-none = Inte angivet
users-initial-password = Första lösenord (valfritt)
users-password-hint = Minst { $min } tecken.
users-initial-password-hint = Utan lösenord kan användaren inte logga in med lösenord förrän du anger ett.
users-password-never-shown = Lösenordet visas aldrig igen.
users-create = Skapa användare
users-edit = Redigera användare
users-save = Spara
users-set-password = Ange lösenord
users-reset-password = Återställ lösenord
users-new-password = Nytt lösenord
users-access = Åtkomst
users-enable = Aktivera användare
users-disable = Inaktivera användare
users-disable-hint = En inaktiverad användare kan inte logga in och användarens API-token slutar fungera.
users-delete = Ta bort användare
users-delete-title = Ta bort { $user }?
users-delete-consequence = { $user } ({ $login }) tas bort tillsammans med sina API-token och gruppmedlemskap. Det går inte att ångra.
users-delete-reassign-hint = Välj nedan vem som tar över enheterna och ta sedan bort igen.
users-reassign-to = Flytta enheterna till
users-reassign-none = Ingen (avslås om användaren äger enheter)
users-reassign-hint = Den valda användaren blir primär användare för alla enheter som den borttagna användaren äger.
users-notice-created = Användaren skapades.
users-notice-saved = Ändringarna sparades.
users-notice-disabled = Användaren inaktiverades.
users-notice-enabled = Användaren aktiverades.
users-notice-password = Lösenordet angavs.
users-notice-deleted = Användaren togs bort.

## API-token
tokens-title = API-token
tokens-intro = Med en token kan skript anropa REST-API:t som den här användaren, med användarens roll.
tokens-col-name = Namn
tokens-col-created = Skapad
tokens-revoke = Återkalla
tokens-none = Användaren har inga API-token.
tokens-name-placeholder = Namn på den nya token, t.ex. säkerhetskopieringsskript
tokens-create = Skapa token
tokens-created-title = API-token ”{ $name }” skapad
tokens-shown-once = Kopiera token nu. Den visas inte igen: servern sparar bara en hash av den.
tokens-value = Token
tokens-use-hint = Skicka den i Authorization-huvudet: Bearer följt av token.
tokens-done = Klar
tokens-notice-revoked = Token återkallades. Den fungerar inte längre.

## Grupper
groups-user-groups = Användargrupper
groups-device-groups = Enhetsgrupper
groups-col-name = Gruppnamn
groups-col-members = Medlemmar
groups-none = Inga grupper ännu.
groups-new = Ny grupp
groups-name-placeholder = Namn på den nya gruppen
groups-kind = Grupptyp
groups-kind-user = Användargrupp
groups-kind-device = Enhetsgrupp
groups-create = Skapa grupp
groups-members = Medlemmar ({ $count })
groups-remove = Ta bort
groups-no-members = Gruppen har inga medlemmar.
groups-add = Lägg till medlemmar
groups-find = Sök
groups-find-users = Sök användare på namn, inloggning eller e-post
groups-find-devices = Sök enheter på namn, modell eller serienummer
groups-add-member = Lägg till
groups-no-candidates = Inget hittades som inte redan är medlem.
groups-notice-added = Medlemmen lades till.
groups-notice-removed = Medlemmen togs bort.
users-delete-owns =
    { $count ->
        [one] Användaren är primär användare för 1 enhet.
       *[other] Användaren är primär användare för { $count } enheter.
    }
