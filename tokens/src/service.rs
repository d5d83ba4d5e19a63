//! The counter's token operations over the store: each one records the certificate and token
//! it touched, and an audit event. These are the steps the TUI's visit wizards call, and what
//! `kiosk token …` and `kiosk ca …` run.
//!
//! An issuance records its certificate on hold (suspended) before writing it anywhere, puts it
//! in force only once the holder has it, and revokes it if that fails; [`crate::delivery`]
//! keeps each one in progress on disk, so one that stops half-way is revoked by the next run.

use base64::Engine;
use registry::audit::{AuditAction, AuditEvent};
use registry::model::{
    Certificate, CertificateStatus, Issuance, KeyMedium, Record, RecordId, RecordKind,
    RevocationReason, Seal, SubjectDn, Token, TokenStatus,
};
use serde::Serialize;
use store::{Store, Writer};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::ca::{OfficeCa, Signed};
use crate::delivery::{Deliveries, Delivery};
use crate::error::{Result, TokenError, status_name};
use crate::key::{TokenKey, verify_signature};
use crate::pin::{Pin, check_new_pin};
use crate::pkcs11::{KeyKind, Login, TokenInfo, TokenSession};
use crate::profile::Profile;

/// The number of wrong user PINs after which the kiosk stops using a token, unless configured.
pub const DEFAULT_PIN_TRIES: u32 = 6;

/// The fewest wrong PINs the counter may allow before it locks a token. One would lock a
/// holder out at their first typo, and each lockout sends them to the SO unlock with a new
/// identity check; three is what PIN-protected cards commonly allow (EMV payment cards among
/// them), so a slip and a second look still leave a try, while someone guessing a 6-digit PIN
/// has 3 chances in a million.
pub const MIN_PIN_TRIES: u32 = 3;

/// How many times the store is asked to record the revocation of a certificate that did not
/// reach its holder, before the revocation is left pending for the next run. Each try already
/// waits out another process's write (the store's busy timeout).
const REVOCATION_ATTEMPTS: u32 = 3;

/// What the counter needs to issue a certificate.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    pub profile: Profile,
    pub subject: SubjectDn,
    pub validity_years: u8,
    pub key: KeyKind,
    pub holder_person: Option<RecordId>,
    pub holder_organisation: Option<RecordId>,
}

/// What an issuance reports: `serial` and `sha256` are what `kiosk token issue` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub certificate: RecordId,
    pub serial: String,
    pub sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    pub profile: &'static str,
    pub key: &'static str,
    /// The token's chip serial; `None` for a PKCS#12 file.
    pub token: Option<String>,
    /// The certificate this one renews, changes or replaces.
    pub previous_serial: Option<String>,
    #[serde(skip)]
    pub der: Vec<u8>,
}

impl Issued {
    pub(crate) fn new(
        record: &Certificate,
        draft: &Draft,
        key: KeyKind,
        token: Option<String>,
        signed: Signed,
    ) -> Issued {
        Issued {
            certificate: record.id,
            serial: signed.serial.clone(),
            sha256: signed.sha256(),
            not_before: signed.not_before,
            not_after: signed.not_after,
            profile: draft.profile.name(),
            key: key.as_str(),
            token,
            previous_serial: draft.previous.as_ref().and_then(|c| c.serial.clone()),
            der: signed.der,
        }
    }
}

/// The counter: the store it records into, who is at the keyboard, and the PIN policy.
pub struct Counter<'a> {
    pub store: &'a mut Store,
    pub clerk: Option<RecordId>,
    pin_tries: u32,
}

impl std::fmt::Debug for Counter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter").field("pin_tries", &self.pin_tries).finish_non_exhaustive()
    }
}

/// What the renewal of a token's certificate keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// 續期: the original key pair signs the new certificate (seed 003).
    SameKey,
    /// A new key pair on the same token.
    NewKey,
}

struct Who {
    kiosk: String,
    clerk: Option<RecordId>,
    at: OffsetDateTime,
}

impl Who {
    fn audit(
        &self,
        w: &mut Writer<'_>,
        action: AuditAction,
        kind: RecordKind,
        subject: RecordId,
    ) -> std::result::Result<(), store::StoreError> {
        let event = AuditEvent {
            id: ulid::Ulid::new(),
            at: self.at,
            kiosk: self.kiosk.clone(),
            clerk: self.clerk,
            action,
            subject_kind: Some(kind),
            subject: Some(subject),
        };
        w.put(&event).map(|_| ())
    }
}

impl<'a> Counter<'a> {
    /// A counter that locks a token after `pin_tries` wrong PINs in a row; fewer than
    /// [`MIN_PIN_TRIES`] is refused.
    pub fn new(store: &'a mut Store, clerk: Option<RecordId>, pin_tries: u32) -> Result<Self> {
        if pin_tries < MIN_PIN_TRIES {
            return Err(TokenError::PinTries { min: MIN_PIN_TRIES, found: pin_tries });
        }
        Ok(Counter { store, clerk, pin_tries })
    }

    pub fn pin_tries(&self) -> u32 {
        self.pin_tries
    }

    /// Who acts, where and when: what every audit event of one operation carries.
    fn who(&self) -> Who {
        Who { kiosk: self.store.kiosk_id().to_owned(), clerk: self.clerk, at: self.store.now() }
    }

    /// The inventory record of the token in front of the clerk, made (as blank) the first time
    /// the counter sees the token.
    pub fn token_record(&mut self, info: &TokenInfo) -> Result<Token> {
        if let Some(token) = self.store.token_by_serial(&info.serial)? {
            return Ok(token);
        }
        let token = Token {
            id: ulid::Ulid::new(),
            serial: info.serial.clone(),
            model: Some(format!("{} {}", info.manufacturer, info.model).trim().to_owned()),
            status: TokenStatus::Blank,
            holder_person: None,
            holder_organisation: None,
            pin_failures: 0,
        };
        self.store.put(self.clerk, &token)?;
        Ok(token)
    }

    /// The token's record, refused when the inventory says it must not be used.
    fn usable_token(&mut self, info: &TokenInfo) -> Result<Token> {
        let token = self.token_record(info)?;
        Self::check_usable(&token)?;
        Ok(token)
    }

    /// Refuses a token the inventory says must not be used.
    fn check_usable(token: &Token) -> Result<()> {
        match token.status {
            TokenStatus::Lost => Err(TokenError::Lost),
            TokenStatus::Blank | TokenStatus::Issued => Ok(()),
            other => Err(TokenError::NotUsable(other)),
        }
    }

    /// Logs the holder in with their PIN, counting wrong PINs: at `pin_tries` wrong PINs in a row
    /// the token is locked until it is unlocked with the SO PIN, whatever the device does.
    pub fn login(&mut self, session: &TokenSession, pin: &Pin) -> Result<Token> {
        let who = self.who();
        let mut token = self.usable_token(session.info())?;
        if token.pin_failures >= self.pin_tries || session.info().device_locked {
            return Err(TokenError::Locked);
        }
        let before = token.clone();
        // A login on one session is a login on every session of the token: log out first, or
        // the token would answer "already logged in" to any PIN at all.
        session.logout();
        let outcome = session.login(pin)?;
        match outcome {
            Login::Ok => {
                if token.pin_failures > 0 {
                    token.pin_failures = 0;
                    self.store.write(self.clerk, |w| w.edit(&before, &token).map(|_| ()))?;
                }
                Ok(token)
            }
            Login::WrongPin | Login::DeviceLocked => {
                token.pin_failures = if matches!(outcome, Login::DeviceLocked) {
                    self.pin_tries
                } else {
                    (token.pin_failures + 1).min(self.pin_tries)
                };
                let locked = token.pin_failures >= self.pin_tries;
                let failures = token.pin_failures;
                let id = token.id;
                self.store.write(self.clerk, |w| {
                    w.edit(&before, &token)?;
                    let action = if locked {
                        AuditAction::TokenLocked
                    } else {
                        AuditAction::TokenPinFailed { failures }
                    };
                    who.audit(w, action, RecordKind::Token, id)
                })?;
                tracing::warn!(token = %id, failures, locked, "wrong token PIN");
                if locked {
                    Err(TokenError::Locked)
                } else {
                    Err(TokenError::WrongPin { tries_left: self.pin_tries - failures })
                }
            }
        }
    }

    /// Logs in to a blank token from stock with the office's stock PIN (the PIN `kiosk token
    /// init` gave every token of the stock), before a new certificate or a replacement is
    /// issued onto it and the holder's own PIN replaces it. A wrong stock PIN is the office's
    /// configuration, not a holder's typo: refused as such and not counted, so a misconfigured
    /// counter does not lock its stock one token at a time.
    pub fn login_stock(&mut self, session: &TokenSession, stock_pin: &Pin) -> Result<Token> {
        let token = self.usable_token(session.info())?;
        if token.status != TokenStatus::Blank {
            return Err(TokenError::NotUsable(token.status));
        }
        if token.pin_failures >= self.pin_tries || session.info().device_locked {
            return Err(TokenError::Locked);
        }
        // As for every login: a token already logged in would accept any PIN.
        session.logout();
        match session.login(stock_pin)? {
            Login::Ok => Ok(token),
            Login::WrongPin => Err(TokenError::WrongStockPin),
            Login::DeviceLocked => Err(TokenError::Locked),
        }
    }

    /// New issuance onto the token of `session` (the holder logged in): the key pair is made on
    /// the token, the token signs the CSR, the office CA signs the certificate, which is written
    /// beside its key, read back and verified.
    pub fn issue(
        &mut self,
        ca: &OfficeCa,
        session: &TokenSession,
        request: &IssueRequest,
    ) -> Result<Issued> {
        self.finish_interrupted(ca.deliveries())?;
        let token = self.usable_token(session.info())?;
        let key = new_key(session, request.key, &request.subject.cn)?;
        self.sign_and_store(ca, session, &key, token, Draft::issue(request), AuditKind::Issued)
    }

    /// Renews the token's current certificate, with the same key pair or a new one. The old
    /// certificate stays in force until it expires; with the same key its object on the token
    /// gives way to the new one.
    pub fn renew(
        &mut self,
        ca: &OfficeCa,
        session: &TokenSession,
        renewal: Renewal,
        validity_years: u8,
    ) -> Result<Issued> {
        self.finish_interrupted(ca.deliveries())?;
        let token = self.usable_token(session.info())?;
        let current = self.current_certificate(session)?;
        let profile = current.profile()?;
        let subject = current.record.subject.clone();
        let draft = Draft::after(&current.record, profile, subject, validity_years, false);
        let key = match renewal {
            Renewal::SameKey => {
                let pair = session.find_key_pair(&current.key_id)?.ok_or(TokenError::NoKey)?;
                TokenKey::new(session, pair)?
            }
            Renewal::NewKey => new_key(session, current.key_kind, &draft.subject.cn)?,
        };
        let issued = self.sign_and_store(
            ca,
            session,
            &key,
            token,
            draft,
            AuditKind::Renewed(renewal == Renewal::SameKey),
        )?;
        if renewal == Renewal::SameKey {
            // The new certificate is on the token and verified: the old object would only make
            // signing software ask which of two certificates to use.
            session.destroy(current.handle)?;
        }
        Ok(issued)
    }

    /// Change of details: a new certificate with the new subject on a new key pair; the old
    /// certificate's seals follow the new one, and the old certificate is revoked (superseded),
    /// because its subject is no longer true.
    pub fn change(
        &mut self,
        ca: &OfficeCa,
        session: &TokenSession,
        subject: SubjectDn,
        validity_years: u8,
    ) -> Result<Issued> {
        self.finish_interrupted(ca.deliveries())?;
        let token = self.usable_token(session.info())?;
        let current = self.current_certificate(session)?;
        let profile = current.profile()?;
        let key = new_key(session, current.key_kind, &subject.cn)?;
        let draft = Draft::after(&current.record, profile, subject, validity_years, true);
        let issued = self.sign_and_store(ca, session, &key, token, draft, AuditKind::Changed)?;
        self.revoke(&current.serial, RevocationReason::Superseded)?;
        session.destroy(current.handle)?;
        Ok(issued)
    }

    /// Replacement: the old token is reported lost or damaged, its certificate revoked, and a
    /// new certificate with a new key is issued onto the new token (media fee only).
    pub fn replace(
        &mut self,
        ca: &OfficeCa,
        old_serial: &str,
        report: TokenStatus,
        new_session: &TokenSession,
        validity_years: u8,
    ) -> Result<Issued> {
        self.finish_interrupted(ca.deliveries())?;
        let old_cert = self
            .store
            .certificate_by_serial(old_serial)?
            .ok_or_else(|| TokenError::CertificateNotFound(old_serial.to_owned()))?;
        let issuance = old_cert.issuance.clone().ok_or(TokenError::NoCertificate)?;
        let profile = Profile::parse(&issuance.profile)?;
        let key = KeyKind::parse(&issuance.key_type).unwrap_or(KeyKind::P256);
        let new_token = self.usable_token(new_session.info())?;
        if old_cert.token == Some(new_token.id) {
            return Err(TokenError::NotUsable(TokenStatus::Issued));
        }
        if let Some(old_token) = old_cert.token {
            self.report(old_token, report)?;
        }
        let reason = if report == TokenStatus::Lost {
            RevocationReason::KeyCompromise
        } else {
            RevocationReason::CessationOfOperation
        };
        if old_cert.status != CertificateStatus::Revoked {
            self.revoke(old_serial, reason)?;
        }
        let token_key = new_key(new_session, key, &old_cert.subject.cn)?;
        let subject = old_cert.subject.clone();
        let draft = Draft::after(&old_cert, profile, subject, validity_years, true);
        self.sign_and_store(ca, new_session, &token_key, new_token, draft, AuditKind::Replaced)
    }

    /// Marks a token in the inventory (lost, damaged, retired). A lost token stays lost.
    pub fn report(&mut self, token_id: RecordId, status: TokenStatus) -> Result<Token> {
        let who = self.who();
        let before: Token = self.store.get(token_id)?.ok_or(TokenError::NoCertificate)?;
        if before.status == status {
            return Ok(before);
        }
        before.status.transition(status)?;
        let after = Token { status, ..before.clone() };
        self.store.write(self.clerk, |w| {
            w.edit(&before, &after)?;
            let action = AuditAction::TokenReported { status: status_name(status).to_owned() };
            who.audit(w, action, RecordKind::Token, after.id)
        })?;
        Ok(after)
    }

    /// Marks the token with this chip serial.
    pub fn report_serial(&mut self, token_serial: &str, status: TokenStatus) -> Result<Token> {
        let token = self
            .store
            .token_by_serial(token_serial)?
            .ok_or_else(|| TokenError::NoToken(token_serial.to_owned()))?;
        self.report(token.id, status)
    }

    /// Changes the user PIN; the old PIN is counted like any login.
    pub fn change_pin(&mut self, session: &TokenSession, old: &Pin, new: &Pin) -> Result<()> {
        let info = session.info();
        check_new_pin(new, info.min_pin_length, info.max_pin_length)?;
        let token = self.login(session, old)?;
        session.set_pin(old, new)?;
        let who = self.who();
        self.store.write(self.clerk, |w| {
            who.audit(w, AuditAction::TokenPinChanged, RecordKind::Token, token.id)
        })?;
        Ok(())
    }

    /// PIN unlock (解鎖) after the clerk checked the holder's identity: the SO sets a new user
    /// PIN (C_InitPIN) and the kiosk's count of wrong PINs starts again. A lost token is never
    /// unlocked. The new PIN is proved by logging in with it.
    pub fn unlock(&mut self, session: &TokenSession, so_pin: &Pin, new_pin: &Pin) -> Result<()> {
        let who = self.who();
        let token = self.token_record(session.info())?;
        if token.status == TokenStatus::Lost {
            return Err(TokenError::Lost);
        }
        token.status.can_be_unlocked().or_else(|e| match token.status {
            // A blank token's PIN can be reset too: nothing is issued on it yet.
            TokenStatus::Blank => Ok(()),
            _ => Err(e),
        })?;
        let info = session.info();
        check_new_pin(new_pin, info.min_pin_length, info.max_pin_length)?;
        match session.login_so(so_pin)? {
            Login::Ok => {}
            Login::WrongPin => return Err(TokenError::WrongSoPin),
            Login::DeviceLocked => return Err(TokenError::Locked),
        }
        session.init_pin(new_pin)?;
        session.logout();
        let after = Token { pin_failures: 0, ..token.clone() };
        self.store.write(self.clerk, |w| {
            w.edit(&token, &after)?;
            who.audit(w, AuditAction::TokenUnlocked, RecordKind::Token, token.id)
        })?;
        let proved = session.login(new_pin)?;
        session.logout();
        match proved {
            Login::Ok => Ok(()),
            _ => Err(TokenError::Verification("the new PIN does not open the token".into())),
        }
    }

    /// Revokes the certificate with this serial. Revocation is final; the certificate's seals
    /// are revoked with it.
    pub fn revoke(&mut self, serial: &str, reason: RevocationReason) -> Result<Certificate> {
        let who = self.who();
        let now = who.at;
        let before = self
            .store
            .certificate_by_serial(serial)?
            .ok_or_else(|| TokenError::CertificateNotFound(serial.to_owned()))?;
        let mut seals: Vec<Seal> = self
            .store
            .list::<Seal>()?
            .into_iter()
            .filter(|s| s.certificate == Some(before.id))
            .collect();
        let seals_before = seals.clone();
        let mut after = before.clone();
        after.revoke(now, reason, &mut seals)?;
        self.store.write(self.clerk, |w| {
            w.edit(&before, &after)?;
            for (old, new) in seals_before.iter().zip(&seals) {
                w.edit(old, new)?;
            }
            let action = AuditAction::CertificateRevoked { reason: reason_name(reason).to_owned() };
            who.audit(w, action, RecordKind::Certificate, after.id)
        })?;
        Ok(after)
    }

    /// A CRL of every certificate this office CA issued and revoked.
    pub fn crl(&mut self, ca: &OfficeCa) -> Result<(Vec<u8>, usize)> {
        // A certificate whose issuance was interrupted is revoked first: no CRL leaves it out.
        self.finish_interrupted(ca.deliveries())?;
        let now = self.store.now();
        let issuer = ca.key_id_hex();
        let revoked: Vec<(String, OffsetDateTime, RevocationReason)> = self
            .store
            .revoked_certificates()?
            .into_iter()
            .filter(|c| c.issuance.as_ref().is_some_and(|i| i.issuer_key_id == issuer))
            .filter_map(|c| {
                let revocation = c.revocation?;
                Some((c.serial?, revocation.at, revocation.reason))
            })
            .collect();
        let der = ca.crl(&revoked, now)?;
        let count = revoked.len();
        let (_, crl) = x509_parser::revocation_list::CertificateRevocationList::from_der(&der)
            .map_err(|e| TokenError::Certificate(e.to_string()))?;
        let number = crl.crl_number().map(|n| n.to_string()).unwrap_or_default();
        let event = AuditEvent {
            id: ulid::Ulid::new(),
            at: now,
            kiosk: self.store.kiosk_id().to_owned(),
            clerk: self.clerk,
            action: AuditAction::CrlIssued {
                crl_number: number,
                revoked: u32::try_from(count).unwrap_or(u32::MAX),
            },
            subject_kind: None,
            subject: None,
        };
        self.store.put(self.clerk, &event)?;
        Ok((der, count))
    }

    /// The certificate the kiosk last issued onto this token that is still in force, with its
    /// object and key on the token.
    pub fn current_certificate(&self, session: &TokenSession) -> Result<OnToken> {
        let mut best: Option<OnToken> = None;
        for stored in session.certificates()? {
            let Ok((_, cert)) = X509Certificate::from_der(&stored.der) else { continue };
            let serial = hex::encode(cert.tbs_certificate.raw_serial());
            let Some(record) = self.store.certificate_by_serial(&serial)? else { continue };
            if !matches!(record.status, CertificateStatus::Valid | CertificateStatus::Suspended) {
                continue;
            }
            let key_kind = crate::ca::kind_of_spki(cert.public_key().raw)?;
            let candidate =
                OnToken { handle: stored.handle, key_id: stored.id, serial, record, key_kind };
            if best.as_ref().is_none_or(|b| b.record.not_before < candidate.record.not_before) {
                best = Some(candidate);
            }
        }
        best.ok_or(TokenError::NoCertificate)
    }

    fn sign_and_store(
        &mut self,
        ca: &OfficeCa,
        session: &TokenSession,
        key: &TokenKey<'_>,
        token: Token,
        draft: Draft,
        kind: AuditKind,
    ) -> Result<Issued> {
        let now = self.store.now();
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = crate::dn::to_rcgen(&draft.subject);
        let csr = params.serialize_request(key).map_err(|e| key.explain(e))?;
        let signed =
            ca.sign_request(csr.der(), draft.profile, &draft.subject, draft.validity_years, now)?;
        let pair = key.pair().clone();
        let issuance = Issuance {
            profile: draft.profile.name().to_owned(),
            sha256: signed.sha256(),
            issuer_key_id: ca.key_id_hex(),
            medium: KeyMedium::Token,
            key_id: Some(hex::encode(&pair.id)),
            key_type: key.kind().as_str().to_owned(),
            previous: draft.previous.as_ref().map(|c| c.id),
            der_base64: base64::engine::general_purpose::STANDARD.encode(&signed.der),
        };
        let label = draft.subject.cn.clone();
        let record =
            self.deliver(ca, &draft, &signed, issuance, Some(&token), kind, |counter| {
                session.write_certificate(&signed.der, &pair.id, &label)?;
                counter.check_on_token(ca, session, key, &signed)
            })?;
        tracing::info!(certificate = %record.id, profile = draft.profile.name(), "certificate issued");
        let token = Some(session.info().serial.clone());
        Ok(Issued::new(&record, &draft, key.kind(), token, signed))
    }

    /// Reads the certificate back from the token and proves it: the bytes are those signed, the
    /// office CA signed them, and the private key beside it signs for the certificate's key.
    fn check_on_token(
        &self,
        ca: &OfficeCa,
        session: &TokenSession,
        key: &TokenKey<'_>,
        signed: &Signed,
    ) -> Result<()> {
        let pair = key.pair();
        let found = session
            .certificates()?
            .into_iter()
            .find(|c| c.id == pair.id && c.der == signed.der)
            .ok_or_else(|| {
                TokenError::Verification("the certificate is not on the token".into())
            })?;
        ca.verify_issued(&found.der, self.store.now())?;
        let (_, cert) = X509Certificate::from_der(&found.der)
            .map_err(|e| TokenError::Certificate(e.to_string()))?;
        let challenge = session.random(32)?;
        let signature = session.sign(pair, &challenge)?;
        let public = cert.public_key().subject_public_key.data.as_ref();
        if !verify_signature(key.kind(), public, &challenge, &signature) {
            return Err(TokenError::Verification(
                "the key on the token does not match the certificate".into(),
            ));
        }
        Ok(())
    }

    /// Takes a certificate the CA signed to its holder, so that it is in force only once they
    /// have it, and revoked otherwise:
    /// 1. its delivery is registered on disk ([`Deliveries::begin`]);
    /// 2. the CA's act is recorded — the certificate on hold, with the audit event — so the
    ///    office knows it exists whatever happens next;
    /// 3. `deliver` puts it where the holder gets it (written to the token and checked there,
    ///    or into the PKCS#12 file);
    /// 4. it is put in force, its token marked issued and the seals moved to it, in one
    ///    transaction;
    ///
    /// and if 3 or 4 fails, it is revoked. A process killed anywhere leaves no record, or a
    /// record on hold whose delivery the next run finishes ([`Counter::finish_interrupted`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn deliver(
        &mut self,
        ca: &OfficeCa,
        draft: &Draft,
        signed: &Signed,
        issuance: Issuance,
        token: Option<&Token>,
        kind: AuditKind,
        deliver: impl FnOnce(&Self) -> Result<()>,
    ) -> Result<Certificate> {
        let delivery = ca.deliveries().begin(&signed.serial)?;
        // Should recording fail, the delivery's file stays: the next run finds whether the
        // record was written after all, and revokes it if it was.
        let held = self.record_issuance(draft, signed, issuance, token, kind)?;
        match deliver(self).and_then(|()| self.put_in_force(&held, draft, token)) {
            Ok(record) => {
                finish(delivery);
                Ok(record)
            }
            Err(cause) => Err(self.withdraw(delivery, &held, cause)),
        }
    }

    /// Records the signed certificate on hold (suspended, so it counts as not in force) with
    /// the audit event of the issuance, in one transaction.
    fn record_issuance(
        &mut self,
        draft: &Draft,
        signed: &Signed,
        issuance: Issuance,
        token: Option<&Token>,
        kind: AuditKind,
    ) -> Result<Certificate> {
        let who = self.who();
        let medium = issuance.medium;
        let record = Certificate {
            id: ulid::Ulid::new(),
            class: draft.profile.class(),
            holder_kind: draft.profile.holder_kind(),
            subject: draft.subject.clone(),
            serial: Some(signed.serial.clone()),
            not_before: Some(signed.not_before),
            not_after: Some(signed.not_after),
            validity_years: draft.validity_years,
            status: CertificateStatus::Suspended,
            holder_person: draft.holder_person,
            holder_organisation: draft.holder_organisation,
            token: token.map(|t| t.id),
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: Some(issuance),
        };
        record.validate().map_err(|problems| {
            TokenError::Store(store::StoreError::Invalid {
                kind: RecordKind::Certificate,
                problems,
            })
        })?;
        self.store.write(self.clerk, |w| {
            w.put(&record)?;
            let action = match kind {
                AuditKind::Issued => AuditAction::CertificateIssued {
                    profile: draft.profile.name().to_owned(),
                    medium: match medium {
                        KeyMedium::Token => "token".into(),
                        KeyMedium::Pkcs12 => "pkcs12".into(),
                    },
                },
                AuditKind::Renewed(same_key) => AuditAction::CertificateRenewed { same_key },
                AuditKind::Changed => AuditAction::CertificateChanged,
                AuditKind::Replaced => AuditAction::CertificateReplaced,
            };
            who.audit(w, action, RecordKind::Certificate, record.id)
        })?;
        Ok(record)
    }

    /// The holder has the certificate: it goes in force, its token is issued, and the seals
    /// that follow it move over — together, and only now, so a failed issuance takes no seal
    /// with it.
    fn put_in_force(
        &mut self,
        held: &Certificate,
        draft: &Draft,
        token: Option<&Token>,
    ) -> Result<Certificate> {
        let record = Certificate { status: CertificateStatus::Valid, ..held.clone() };
        let seals: Vec<Seal> = match draft.seals_from {
            Some(old) => self
                .store
                .list::<Seal>()?
                .into_iter()
                .filter(|s| s.certificate == Some(old))
                .collect(),
            None => Vec::new(),
        };
        self.store.write(self.clerk, |w| {
            w.edit(held, &record)?;
            if let Some(token) = token
                && token.status != TokenStatus::Issued
            {
                let issued = Token {
                    status: TokenStatus::Issued,
                    holder_person: draft.holder_person.or(token.holder_person),
                    holder_organisation: draft.holder_organisation.or(token.holder_organisation),
                    ..token.clone()
                };
                w.edit(token, &issued)?;
            }
            for seal in &seals {
                w.edit(seal, &Seal { certificate: Some(record.id), ..seal.clone() })?;
            }
            Ok(())
        })?;
        Ok(record)
    }

    /// Revokes a certificate that did not reach its holder, asking the store again when it
    /// fails. The error says what happened to the certificate as well as why the issuance
    /// failed; if the revocation could not be recorded, the delivery's file stays for the next
    /// run to finish, and the certificate stays on hold meanwhile.
    fn withdraw(
        &mut self,
        delivery: Delivery,
        held: &Certificate,
        cause: TokenError,
    ) -> TokenError {
        let serial = delivery.serial().to_owned();
        let mut attempt = 1;
        loop {
            match self.revoke(&serial, RevocationReason::CessationOfOperation) {
                Ok(_) => {
                    finish(delivery);
                    tracing::warn!(certificate = %held.id, category = cause.category(), "issuance failed; its certificate was revoked");
                    return TokenError::NotDelivered { serial, cause: Box::new(cause) };
                }
                Err(TokenError::Store(_)) if attempt < REVOCATION_ATTEMPTS => attempt += 1,
                Err(revocation) => {
                    drop(delivery);
                    tracing::error!(certificate = %held.id, category = revocation.category(), "issuance failed and its certificate could not be revoked yet");
                    return TokenError::RevocationPending {
                        serial,
                        cause: Box::new(cause),
                        revocation: Box::new(revocation),
                    };
                }
            }
        }
    }

    /// Finishes the issuances that stopped half-way — their process was killed, or the
    /// revocation after a failure could not be recorded — by revoking their certificates, which
    /// never went in force. Issuances still in progress in other processes are left alone.
    /// Returns the serials revoked now. Every issuing operation and the CRL run this first;
    /// `kiosk token list` runs it and shows what it did or could not do.
    pub fn finish_interrupted(&mut self, deliveries: &Deliveries) -> Result<Vec<String>> {
        let mut revoked = Vec::new();
        for delivery in deliveries.interrupted()? {
            let serial = delivery.serial().to_owned();
            let record = self.store.certificate_by_serial(&serial)?;
            // Otherwise it was never recorded, or was put in force or revoked before its
            // process stopped: nothing is left to do but forget the delivery. A certificate
            // that was in force once was delivered (its file was only not removed): if it is
            // suspended now, someone suspended it, and that is not for this to undo.
            let on_hold = match record {
                Some(record) if record.status == CertificateStatus::Suspended => {
                    let history = self.store.events_of(RecordKind::Certificate, record.id)?;
                    let was_in_force = history.iter().any(|event| {
                        event.changes.get("status") == Some(&serde_json::json!("valid"))
                    });
                    (!was_in_force).then_some(record)
                }
                _ => None,
            };
            if let Some(record) = on_hold {
                self.revoke(&serial, RevocationReason::CessationOfOperation)?;
                tracing::warn!(certificate = %record.id, "an interrupted issuance's certificate was revoked");
                revoked.push(serial);
            }
            delivery.finish()?;
        }
        Ok(revoked)
    }
}

/// Forgets a delivery that is over. A file that cannot be removed is only noted: the next run
/// finds its certificate in force or revoked and removes it then.
fn finish(delivery: Delivery) {
    if let Err(err) = delivery.finish() {
        tracing::warn!(error = %err, "a finished issuance's file could not be removed");
    }
}

/// A certificate of the kiosk's on a token.
#[derive(Debug, Clone)]
pub struct OnToken {
    pub handle: cryptoki::object::ObjectHandle,
    pub key_id: Vec<u8>,
    pub serial: String,
    pub record: Certificate,
    pub key_kind: KeyKind,
}

impl OnToken {
    fn profile(&self) -> Result<Profile> {
        let issuance = self.record.issuance.as_ref().ok_or(TokenError::NoCertificate)?;
        Profile::parse(&issuance.profile)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub profile: Profile,
    pub subject: SubjectDn,
    pub validity_years: u8,
    pub holder_person: Option<RecordId>,
    pub holder_organisation: Option<RecordId>,
    pub previous: Option<Certificate>,
    /// The certificate whose seals move to the new one.
    pub seals_from: Option<RecordId>,
}

impl Draft {
    /// A new issuance.
    pub(crate) fn issue(request: &IssueRequest) -> Draft {
        Draft {
            profile: request.profile,
            subject: request.subject.clone(),
            validity_years: request.validity_years,
            holder_person: request.holder_person,
            holder_organisation: request.holder_organisation,
            previous: None,
            seals_from: None,
        }
    }

    /// What follows `previous` (renewal, change, replacement): the same holder; the seals move
    /// over when `seals_follow`.
    fn after(
        previous: &Certificate,
        profile: Profile,
        subject: SubjectDn,
        validity_years: u8,
        seals_follow: bool,
    ) -> Draft {
        Draft {
            profile,
            subject,
            validity_years,
            holder_person: previous.holder_person,
            holder_organisation: previous.holder_organisation,
            previous: Some(previous.clone()),
            seals_from: seals_follow.then_some(previous.id),
        }
    }
}

/// A new key pair on the token, under a fresh random CKA_ID and the holder's name as label.
fn new_key<'s>(session: &'s TokenSession, kind: KeyKind, label: &str) -> Result<TokenKey<'s>> {
    let id = session.random(16)?;
    TokenKey::new(session, session.generate_key_pair(kind, &id, label)?)
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum AuditKind {
    Issued,
    Renewed(bool),
    Changed,
    Replaced,
}

pub fn reason_name(reason: RevocationReason) -> &'static str {
    match reason {
        RevocationReason::Unspecified => "unspecified",
        RevocationReason::KeyCompromise => "keyCompromise",
        RevocationReason::AffiliationChanged => "affiliationChanged",
        RevocationReason::Superseded => "superseded",
        RevocationReason::CessationOfOperation => "cessationOfOperation",
    }
}

pub fn parse_reason(text: &str) -> Option<RevocationReason> {
    [
        RevocationReason::Unspecified,
        RevocationReason::KeyCompromise,
        RevocationReason::AffiliationChanged,
        RevocationReason::Superseded,
        RevocationReason::CessationOfOperation,
    ]
    .into_iter()
    .find(|r| reason_name(*r) == text)
}
