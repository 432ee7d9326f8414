# pinreset error catalogue — Italian (italiano). Keys: err-<code> (reason) and .remedy; English lives in crates/core/src/error.rs.

err-invalid_input = La richiesta non è valida.
    .remedy = Correggere il campo evidenziato e inviare di nuovo la richiesta.

err-unauthenticated = Non sono state fornite credenziali valide.
    .remedy = Accedere di nuovo o usare un token API valido.

err-role_forbidden = Il ruolo assegnato non consente questa operazione.
    .remedy = Chiedere a un amministratore del tenant di eseguirla o di assegnare un ruolo che la consenta.

err-not_device_owner = Solo l'utente primario del dispositivo può eseguire questa operazione dal portale self-service.
    .remedy = Accedere come proprietario del dispositivo oppure contattare il supporto aziendale.

err-not_found = L'elemento richiesto non esiste o non è visibile.
    .remedy = Controllare l'identificatore; il dispositivo potrebbe essere stato rimosso.

err-conflict = L'elemento è stato modificato o esiste già.
    .remedy = Ricaricare e riprovare.

err-sign_in_locked = Troppi accessi non riusciti per questo account, che è quindi bloccato per un certo periodo.
    .remedy = Attendere la fine del blocco (la risposta indica quando) oppure chiedere a un amministratore del tenant di sbloccare l'account.

err-sign_in_throttled = Troppi accessi non riusciti provengono dal proprio indirizzo di rete.
    .remedy = Attendere il tempo indicato nella risposta prima di riprovare e controllare l'indirizzo e-mail e la password.

err-server_busy = Il server sta verificando troppe password contemporaneamente.
    .remedy = Riprovare tra qualche secondo.

err-csrf_token_missing = La modifica è stata inviata con un cookie di sessione ma senza il token CSRF della sessione.
    .remedy = Ricaricare la pagina e riprovare; gli script che usano l'API devono inviare l'intestazione X-CSRF-Token ricevuta all'accesso oppure usare un token API.

err-reauth_required = Questa operazione richiede un accesso recente (entro l'intervallo stabilito dall'organizzazione, per impostazione predefinita 5 minuti).
    .remedy = Accedere di nuovo per confermare la propria identità, quindi ripetere l'operazione entro l'intervallo.

err-sso_not_configured = Il single sign-on non è configurato per questa organizzazione.
    .remedy = Accedere con l'indirizzo e-mail e la password oppure chiedere a un amministratore del tenant di configurare il single sign-on (Amministrazione tenant > Single sign-on).

err-sso_refused = Non è stato possibile accettare la risposta del provider di identità dell'organizzazione.
    .remedy = Accedere di nuovo dall'inizio; se il problema si ripete, comunicare l'ora all'amministratore (il log del server ne indica il motivo).

err-sso_unknown_user = Il provider di identità ha eseguito l'accesso, ma questa organizzazione non ha alcun utente pinreset abilitato con quel nome.
    .remedy = Chiedere al reparto IT di essere aggiunti a pinreset (o di abilitare il proprio account).

err-sso_provider_unreachable = Il provider di identità non è raggiungibile o non ha risposto come provider OpenID.
    .remedy = Controllare l'indirizzo dell'emittente (issuer) e che il provider sia attivo (e, per una CA privata, che il server sia stato avviato con --oidc-ca-file), quindi riprovare.
err-mail_not_sent = Il server di posta non ha accettato il messaggio.
    .remedy = Controlla host, porta, sicurezza e accesso nelle impostazioni di posta, e che il server accetti posta da pinreset per quel mittente; la sua risposta è nei dettagli.

err-login_taken = Un altro utente di questo tenant usa già questo nome di accesso.
    .remedy = Scegliere un altro nome di accesso oppure modificare l'utente esistente.

err-last_tenant_admin = Questo è l'ultimo amministratore del tenant abilitato: senza di esso nessuno potrebbe gestire il tenant.
    .remedy = Nominare prima un altro utente amministratore del tenant (o abilitarne uno), quindi riprovare.

err-user_owns_devices = L'utente è l'utente primario di alcuni dispositivi, che resterebbero senza proprietario.
    .remedy = Eliminare con reassign_to=<user id> per spostare i dispositivi a un altro utente, oppure riassegnarli prima.

err-tenant_not_onboarded = L'organizzazione non ha ancora dato il consenso al servizio di reimpostazione PIN.
    .remedy = Un amministratore del tenant deve concedere il consenso al servizio di reimpostazione PIN in Amministrazione tenant, quindi riprovare.

err-corporate_device_self_service = La reimpostazione del passcode dei dispositivi di proprietà aziendale non è disponibile nel portale self-service.
    .remedy = Contattare il supporto aziendale: l'help desk può reimpostare il passcode di questo dispositivo aziendale.

err-self_service_action_off = La tua organizzazione non offre questa azione nel portale self-service.
    .remedy = Contatta il supporto IT (il portale indica come raggiungerlo); un amministratore può eseguire l'azione per te.

err-windows_mobile_too_old = La reimpostazione del passcode richiede Windows 10 Mobile Creators Update (build 15063) o versioni successive.
    .remedy = Aggiornare il dispositivo a Windows 10 Mobile build 15063 o successiva, oppure reimpostare il dispositivo.

err-windows_not_aad_joined = La reimpostazione del passcode richiede che il dispositivo sia aggiunto ad Azure AD.
    .remedy = Aggiungere il dispositivo ad Azure AD (Impostazioni > Account > Accedi all'azienda o all'istituto di istruzione), quindi riprovare.

err-windows_desktop_unsupported = Il server non può reimpostare il PIN dei dispositivi desktop Windows 10/11.
    .remedy = Usare il ripristino del PIN nella schermata di blocco ("Ho dimenticato il PIN"); assegnare un profilo che imposti EnablePinRecovery affinché il dispositivo lo supporti.

err-macos_unsupported = macOS non supporta la reimpostazione del passcode da parte del server.
    .remedy = Usare Blocco remoto: il Mac viene bloccato con un PIN di 6 cifre mostrato da questo server.

err-ios_no_unlock_token = Il server non ha un UnlockToken per questo dispositivo, quindi non può rimuovere il passcode.
    .remedy = Il dispositivo deve registrarsi di nuovo (o inviare un TokenUpdate con un UnlockToken) prima che il passcode possa essere rimosso; in caso contrario, reimpostare il dispositivo.

err-ios_unlock_token_rejected = Il dispositivo ha rifiutato l'UnlockToken depositato: non corrisponde più alle chiavi del dispositivo.
    .remedy = Chiedere all'utente di reinstallare il profilo di registrazione (il suo TokenUpdate deposita un nuovo UnlockToken) e riprovare, oppure reimpostare il dispositivo.

err-ios_user_enrollment = I dispositivi registrati con Registrazione utente non consentono di rimuovere il passcode.
    .remedy = Il proprietario reimposta il passcode sul dispositivo; il reparto IT può solo rimuovere i dati gestiti.

err-ios_shared_ipad = Shared iPad non ha un passcode del dispositivo che il server possa rimuovere.
    .remedy = Disconnettere l'utente da Shared iPad oppure reimpostare il dispositivo.

err-android_device_admin_unsupported = Android 7.0 e versioni successive non consentono agli amministratori di dispositivi di reimpostare il passcode.
    .remedy = Ripristinare le impostazioni di fabbrica del dispositivo (Reimposta dispositivo), quindi registrarlo come completamente gestito o con un profilo di lavoro per usare la reimpostazione del passcode.

err-android_no_reset_token = Il dispositivo non ha un token di reimpostazione del passcode attivo.
    .remedy = Aprire l'app di gestione sul dispositivo e accettare la richiesta di reimpostazione del passcode, quindi riprovare.

err-android_unsupported_mode = La reimpostazione del passcode non è supportata per questa versione di Android e questa modalità di gestione.
    .remedy = Aggiornare il dispositivo ad Android 8.0 o versioni successive con un profilo di lavoro o come completamente gestito, oppure ripristinarne le impostazioni di fabbrica.

err-android_passcode_rejected = Il dispositivo ha rifiutato il passcode temporaneo: non rispetta i criteri del passcode impostati sul dispositivo.
    .remedy = Adeguare le impostazioni del passcode temporaneo del tenant (lunghezza, lettere e cifre) ai criteri del passcode del dispositivo, quindi reimpostare di nuovo.

err-windows_desktop_no_remote_lock = I dispositivi desktop Windows 10/11 non supportano il blocco remoto.
    .remedy = Chiedere all'utente di bloccare il PC (Windows+L) oppure reimpostare il dispositivo se è stato smarrito.

err-user_enrollment_no_wipe = Un dispositivo registrato con Registrazione utente appartiene all'utente e non può essere cancellato dall'organizzazione.
    .remedy = Usare invece Rimuovi per eliminare le app e i dati gestiti.

err-work_profile_no_wipe = Un dispositivo personale con un profilo di lavoro non può essere cancellato dall'organizzazione.
    .remedy = Usare invece Rimuovi per eliminare il profilo di lavoro.

err-channel_cannot_deliver = Questo server non ha modo di inviare questa operazione a questo tipo di dispositivo.
    .remedy = Scegliere un'altra operazione per questo dispositivo oppure eseguirla direttamente sul dispositivo.

err-apple_rename_unsupported = I dispositivi Apple si rinominano solo con il comando MDM Settings sui dispositivi supervisionati, che questo server non invia.
    .remedy = Rinominare il dispositivo direttamente sul dispositivo (Impostazioni > Generali > Info > Nome; su un Mac, Impostazioni di Sistema > Generali > Condivisione).

err-action_not_supported = Il dispositivo non supporta questa operazione.
    .remedy = Scegliere un'altra operazione per questo dispositivo.

err-device_reenrolled = Il dispositivo si è registrato di nuovo, quindi i comandi in coda per la registrazione precedente sono stati eliminati.
    .remedy = Richiedere di nuovo l'operazione.

err-device_already_enrolled = Il dispositivo è già registrato e la registrazione non ha dimostrato che si tratta dello stesso dispositivo.
    .remedy = Un amministratore del tenant deve approvare la nuova registrazione (Nuove registrazioni nell'API di amministrazione: pinreset reenrollments approve ID); quindi registrare di nuovo il dispositivo entro 24 ore.

err-device_enrolled_elsewhere = Il dispositivo è registrato da un'altra organizzazione su questo server.
    .remedy = Rimuovere prima il dispositivo dalla gestione dell'altra organizzazione, quindi registrarlo di nuovo.

err-enrollment_identity_spent = Questo profilo di registrazione è già stato usato da un altro dispositivo.
    .remedy = Scaricare un nuovo profilo di registrazione per questo dispositivo.

err-reenrollment_not_pending = La richiesta di nuova registrazione è già stata decisa o è scaduta.
    .remedy = Chiedere all'utente di registrare di nuovo il dispositivo: verrà creata una nuova richiesta.

err-device_retired = Il dispositivo non è più gestito.
    .remedy = Registrare di nuovo il dispositivo per gestirlo.

err-passcode_expired = Il passcode temporaneo è scaduto ed è stato eliminato (viene conservato per 7 giorni).
    .remedy = Reimpostare di nuovo il passcode per ottenere un nuovo passcode temporaneo.

err-passcode_not_available = Questa operazione non ha un passcode temporaneo da mostrare.
    .remedy = Solo una reimpostazione del passcode riuscita su un dispositivo che usa un passcode temporaneo ne genera uno; sui dispositivi iOS il passcode viene invece rimosso.

err-action_expired = Il dispositivo non ha risposto entro la durata dell'operazione.
    .remedy = Verificare che il dispositivo sia acceso e online, quindi richiedere di nuovo l'operazione.

err-action_not_pending = L'operazione è già terminata.
    .remedy = Se necessario, richiedere una nuova operazione.

err-device_rejected = Il dispositivo ha rifiutato il comando.
    .remedy = Controllare nei dettagli del dispositivo lo stato segnalato; verificare che soddisfi i requisiti, quindi riprovare.

err-device_no_pin_set = Sul dispositivo non è impostato alcun PIN, quindi non può essere bloccato.
    .remedy = Chiedere all'utente di impostare un PIN sul dispositivo oppure reimpostare il dispositivo.

err-device_no_passcode_returned = Il dispositivo ha segnalato l'esito positivo ma non ha restituito un nuovo passcode.
    .remedy = Ripetere la reimpostazione; se il problema si ripresenta, reimpostare il dispositivo.

err-internal = Si è verificato un errore nel server.
    .remedy = Riprovare; se il problema persiste, comunicare l'ID della richiesta all'amministratore.

err-reset_rate_limited = Nell'ultima ora sono state richieste troppe reimpostazioni del passcode, per questo dispositivo o dal proprio account.
    .remedy = Attendere fino all'ora indicata in questa risposta, quindi riprovare; se non si riesce ad accedere al dispositivo in questo momento, contattare il supporto IT.

err-amapi_command_unsupported = Android Device Policy sul dispositivo non supporta questo comando.
    .remedy = Aggiornare Android Device Policy sul dispositivo (Google Play), quindi riprovare.

err-amapi_command_gave_up = Il dispositivo non ha eseguito il comando entro il tempo concesso, quindi pinreset ha smesso di attenderlo.
    .remedy = Verificare che il dispositivo sia acceso e in linea, quindi richiedere di nuovo l'azione.

err-google_unreachable = L'Android Management API di Google non è raggiungibile o ha rifiutato la richiesta.
    .remedy = Controllare il collegamento dell'enterprise (nome, chiave dell'account di servizio e relativi ruoli) e che il server raggiunga Google; la risposta è nel dettaglio.
