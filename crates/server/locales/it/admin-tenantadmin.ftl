# Interfaccia di amministrazione di pinreset — italiano: Amministrazione tenant (servizio di
# reimpostazione del PIN, Applicazioni aziendali, Single Sign-On), Impostazioni e Profili di configurazione.

tenantadmin-save = Salva

## Amministrazione tenant › Servizio di reimpostazione del PIN
tenantadmin-consent-title = Servizio di reimpostazione del PIN
tenantadmin-consent-intro = La reimpostazione del passcode di Windows si basa su due applicazioni di questo server. Come amministratore tenant, acconsenti per conto dell'organizzazione a ciò che ciascuna può fare. Fino ad allora le reimpostazioni del passcode di Windows vengono rifiutate.
tenantadmin-consent-may = Questa applicazione può:
tenantadmin-app-service = Servizio di reimpostazione del PIN
tenantadmin-app-service-about = Lato server: crea il PIN temporaneo e lo consegna al dispositivo in forma protetta.
tenantadmin-perm-service-signin = Accedere come applicazione dell'organizzazione e leggere il profilo di base dell'organizzazione
tenantadmin-perm-service-reset = Creare un PIN temporaneo per un dispositivo Windows quando un amministratore o il proprietario richiede la reimpostazione del passcode
tenantadmin-perm-service-directory = Leggere l'ID directory di Azure AD dell'organizzazione, per indirizzare le impostazioni PassportForWork dei dispositivi
tenantadmin-app-client = Client di reimpostazione del PIN
tenantadmin-app-client-about = Lato dispositivo: il dispositivo Windows gestito lo usa per ricevere il nuovo PIN e sostituire quello attuale.
tenantadmin-perm-client-signin = Accedere ai dispositivi Windows dell'organizzazione come utente del dispositivo
tenantadmin-perm-client-service = Chiamare il servizio di reimpostazione del PIN per conto di tale utente, per ricevere il nuovo PIN
tenantadmin-consent-revocable = Puoi revocare il consenso in qualsiasi momento da questa pagina; le reimpostazioni del passcode di Windows vengono allora di nuovo rifiutate.
tenantadmin-consent-accept = Accetta
tenantadmin-consent-revoke = Revoca il consenso
tenantadmin-consent-missing = La tua organizzazione non ha ancora dato il consenso: la reimpostazione del passcode di Windows viene rifiutata.
tenantadmin-consent-given = Consenso dato da { $by } il { $when }.
tenantadmin-consent-given-unknown = Il consenso è stato dato.
tenantadmin-consent-admins-only = Solo un amministratore tenant può accettare.
tenantadmin-consent-revoked-notice = Il consenso è stato revocato. La reimpostazione del passcode di Windows viene rifiutata finché un amministratore tenant non accetta di nuovo.
tenantadmin-consent-accepted-notice = Consenso dato: entrambe le applicazioni sono abilitate e la reimpostazione del passcode di Windows è disponibile.
tenantadmin-consent-link = Dai il consenso al servizio di reimpostazione del PIN

## Amministrazione tenant › Applicazioni aziendali
tenantadmin-apps-title = Applicazioni aziendali
tenantadmin-col-app = Applicazione
tenantadmin-col-status = Stato
tenantadmin-col-consented-by = Consenso di
tenantadmin-col-consented-at = Data del consenso
tenantadmin-enabled = Abilitata
tenantadmin-not-consented = Nessun consenso

## Amministrazione tenant › Single Sign-On
tenantadmin-sso-title = Single Sign-On
tenantadmin-sso-current = Configurazione attuale
tenantadmin-sso-none = Il Single Sign-On non è configurato: gli utenti accedono con indirizzo e-mail e password.
tenantadmin-sso-issuer = Emittente (issuer)
tenantadmin-sso-client-id = ID client
tenantadmin-sso-client-secret = Segreto client
tenantadmin-sso-login-claim = Attestazione di accesso
tenantadmin-sso-redirect = URI di reindirizzamento da registrare presso il provider
tenantadmin-sso-redirect-register = Registra questo URI di reindirizzamento presso il tuo provider OpenID:
tenantadmin-sso-remove = Rimuovi il Single Sign-On
tenantadmin-sso-set-up = Configura il Single Sign-On
tenantadmin-sso-replace = Sostituisci la configurazione
tenantadmin-sso-secret-hint = Salvato cifrato e mai più mostrato: digitalo ogni volta che salvi.
tenantadmin-sso-claim-hint = L'attestazione del token ID che identifica l'utente: nome di accesso o indirizzo e-mail (predefinito: email).
tenantadmin-sso-saved = Il Single Sign-On è stato salvato. La pagina di accesso ora lo offre.
tenantadmin-sso-removed = Il Single Sign-On è stato rimosso.

## Impostazioni
tenantadmin-settings-saved = Le impostazioni sono state salvate.
tenantadmin-settings-passcode = Passcode temporaneo
tenantadmin-settings-passcode-intro = La complessità dipende dal dispositivo: i dispositivi che accettano lettere ricevono lettere e cifre senza caratteri ambigui (niente 0/O, 1/l/I); gli altri ricevono cifre senza sequenze facili come 1234.
tenantadmin-settings-alphanumeric = Lunghezza dei passcode alfanumerici
tenantadmin-settings-alphanumeric-hint = Da { $min } a { $max } caratteri.
tenantadmin-settings-numeric = Lunghezza dei passcode numerici (PIN)
tenantadmin-settings-numeric-hint = Da { $min } a { $max } cifre.
tenantadmin-settings-support = Contatto del supporto aziendale
tenantadmin-settings-support-intro = Mostrato agli utenti nel portale self-service. Lascia vuoto un campo per nasconderlo.
tenantadmin-settings-support-name = Nome
tenantadmin-settings-support-phone = Numero di telefono
tenantadmin-settings-support-email = Indirizzo e-mail
tenantadmin-settings-support-web = Pagina web (https://)
tenantadmin-settings-self-service = Azioni self-service
tenantadmin-settings-self-service-intro = Le azioni che gli utenti possono eseguire sui propri dispositivi nel portale self-service. Un'azione disattivata qui viene loro rifiutata; amministratori e help desk non ne sono interessati.
tenantadmin-settings-reauth = Intervallo di riautenticazione
tenantadmin-settings-reauth-minutes = Minuti
tenantadmin-settings-reauth-hint = Un utente deve aver effettuato l'accesso entro questi minuti (da 1 a 60) per reimpostare il passcode o visualizzarlo nel portale.

## Profili di configurazione
tenantadmin-profiles-none = Ancora nessun profilo di configurazione.
tenantadmin-profile-new = Crea profilo
tenantadmin-profile-from-template = Crea dal modello di ripristino del PIN
tenantadmin-profile-edit = Modifica profilo
tenantadmin-profile-platform = Piattaforma: Windows 10 e versioni successive. Tipo di profilo: Personalizzato (impostazioni OMA-URI).
tenantadmin-profile-name = Nome
tenantadmin-profile-description = Descrizione
tenantadmin-profile-settings = Impostazioni OMA-URI
tenantadmin-col-profile = Profilo
tenantadmin-col-settings = Impostazioni
tenantadmin-col-version = Versione
tenantadmin-col-oma-uri = OMA-URI
tenantadmin-col-data-type = Tipo di dati
tenantadmin-col-value = Valore
tenantadmin-col-applies-to = Si applica a
tenantadmin-remove-setting = Rimuovi
tenantadmin-add-setting = + Aggiungi impostazione
tenantadmin-add-pin-recovery = + EnablePinRecovery (modello)
tenantadmin-pin-recovery-hint = Il modello inserisce l'ID directory dell'organizzazione. EnablePinRecovery si applica solo ai dispositivi desktop Windows; i telefoni risultano Non applicabile.
tenantadmin-profile-pin-recovery-name = Ripristino del PIN di Windows
tenantadmin-profile-saved = Il profilo è stato salvato. I dispositivi assegnati lo ricevono alla prossima sincronizzazione.
tenantadmin-profile-assigned = Le assegnazioni sono state salvate.
tenantadmin-profile-version = Versione { $version }
tenantadmin-profile-updated = Ultima modifica { $when }
tenantadmin-profile-status = Stato dei dispositivi
tenantadmin-status-filter = Filtra per stato
tenantadmin-status-all = Tutti ({ $count })
tenantadmin-status-none-in-filter = Nessun dispositivo ha questo stato.
tenantadmin-status-unassigned = Il profilo non è ancora assegnato ad alcun dispositivo.
tenantadmin-status-error-detail = Il dispositivo ha risposto con lo stato { $status } per { $uri }.
tenantadmin-status-conflict-detail = Il profilo "{ $profile }" imposta { $uri } su un altro valore.
tenantadmin-state-succeeded = Completato
tenantadmin-state-error = Errore
tenantadmin-state-conflict = Conflitto
tenantadmin-state-pending = In sospeso
tenantadmin-state-not_applicable = Non applicabile
tenantadmin-assignments = Assegnazioni
tenantadmin-included = Gruppi inclusi
tenantadmin-excluded = Gruppi esclusi
tenantadmin-col-group = Gruppo
tenantadmin-col-group-kind = Tipo
tenantadmin-include = Includi
tenantadmin-exclude = Escludi
tenantadmin-not-assigned = Non assegnato
tenantadmin-group-user = Utenti
tenantadmin-group-device = Dispositivi
tenantadmin-save-assignments = Salva assegnazioni

# Tenant administration › E-mail
tenantadmin-mail-title = E-mail
tenantadmin-mail-intro = Quando una reimpostazione del passcode, un blocco remoto o una reimpostazione del dispositivo termina, il proprietario del dispositivo riceve un'e-mail tramite il server di posta dell'organizzazione, con un collegamento al portale. Un passcode temporaneo non viene mai inviato per e-mail.
tenantadmin-mail-none = Nessun server di posta configurato: gli utenti vedono le notifiche solo nel portale.
tenantadmin-mail-set-up = Configura la posta
tenantadmin-mail-host = Server SMTP
tenantadmin-mail-port = Porta
tenantadmin-mail-security = Sicurezza della connessione
tenantadmin-mail-security-starttls = STARTTLS (di solito porta 587)
tenantadmin-mail-security-tls = TLS (di solito porta 465)
tenantadmin-mail-security-none = Nessuna: solo per un relay nella propria rete (porta 25)
tenantadmin-mail-from = Indirizzo del mittente
tenantadmin-mail-username = Nome di accesso
tenantadmin-mail-password = Password
tenantadmin-mail-password-stored = password salvata
tenantadmin-mail-password-none = nessuna password
tenantadmin-mail-no-sign-in = Nessuno (il server accetta la posta senza accesso)
tenantadmin-mail-language = Lingua delle e-mail
tenantadmin-mail-test-to = Invia un messaggio di prova a
tenantadmin-mail-test = Invia messaggio di prova
tenantadmin-mail-remove = Disattiva la posta
tenantadmin-mail-saved = Il server di posta è stato salvato. Invia un messaggio di prova per verificarlo.
tenantadmin-mail-removed = La posta è disattivata; la password salvata è stata distrutta.
tenantadmin-mail-sent = Il server di posta ha accettato il messaggio di prova.
