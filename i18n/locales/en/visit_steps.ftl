# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = There is no such application in this office's records.
visit-no-applicant = The applicant's record was not found.
visit-renewal-none-due = This person has no certificate due for renewal (renewal opens 30 days before expiry).
visit-no-certificates = This person has no certificate in force for this service.
visit-step-not-open = This step cannot be taken yet: the visit stands at an earlier step ({ visit-step-name }).
visit-supervisor-own-action = A supervisor never approves their own action: another supervisor must sign in.
visit-supervisor-required = Only an active supervisor can do this: a supervisor must sign in.
visit-reason-required = Write the reason down: it is kept with the application.
visit-skip-never = This step is never skipped.
visit-skip-supervisor-only = Only a supervisor may let the visit past this step.
visit-skip-not-in-plan = This step is not part of this service.
visit-identity-nothing-to-override = The identity check has not failed: there is nothing to override.
visit-form-key-missing = This counter has no form key: it did not print this form. Scan it at the counter of the office that printed it.
visit-form-earlier-printing = This signed form is from an earlier printing: the form was printed again ({ $printed }), and only the copy printed last is taken. Ask for the form printed last to be signed (and stamped), then scan its code.
visit-form-print-failed = The form was not printed (job { $job }): { visit-print-reason }. Check the printer and print again.
visit-receipt-print-failed = The payment is recorded, but the receipt was not printed (job { $job }): { visit-print-reason }. Print it again from the print spool: kiosk print queue.
visit-payment-reference-required = Enter the payment reference (receipt or card-terminal number).
visit-invoice-too-late = The invoice details are printed on the form and vetted with it: they cannot change after the form was signed.
visit-no-token-module = No token module is configured for this counter (token_module): the certificate cannot be written to the token.
visit-token-unknown = The certificate's token is not in the office's records.
visit-token-not-present = Plug in the applicant's token (serial { $serial }): it was not found.
visit-token-other-certificate = The token holds another certificate ({ $serial }): plug in the token of the certificate being renewed.
visit-ca-pin-needed = The office CA is not unlocked on this counter (KIOSK_CA_PIN): certificates cannot be issued here. Call support.
visit-stock-pin-needed = The office's stock PIN is not set at this kiosk (KIOSK_STOCK_PIN): a token from stock cannot be opened here. Call support.
visit-holder-pin-not-set = The certificate is on the token and in force, but the person's own PIN could not be set: the token still has the stock PIN. Change its PIN now (kiosk token change-pin) before the token leaves the counter.
visit-no-token-module-or-pkcs12 = No token module is configured for this counter (token_module): the certificate cannot be written to a token. This certificate may go into a PKCS#12 file instead (F5).
visit-plug-a-blank-token-or-pkcs12 = Plug in a blank token from stock, or press F5 to issue this certificate into a PKCS#12 file instead.
visit-pkcs12-new-only = Only a new certificate may go into a PKCS#12 file: a renewal, a change or a replacement stays on a token.
visit-pkcs12-file-exists = { $file } already exists: a PKCS#12 file is never overwritten. Give another path.
visit-nothing-to-issue = Every certificate of this application has been issued.
visit-issuing-elsewhere = This application's certificate is being issued at counter { $kiosk } since { $since }: let it finish there. If that counter stopped, the issuance can be taken over here a quarter of an hour after it started.
visit-email-not-on-visit = This address is not one of the addresses of this visit's certificates.

visit-certificate-not-theirs = That certificate is not one of this person's certificates in force.
visit-choose-a-certificate = Choose at least one certificate (Space or F4 ticks the highlighted one).
visit-no-serial = The certificate has no serial number yet: it was never issued.
visit-not-approved-yet = The application is not vetted and approved yet.
visit-renewal-certificates-fixed = A renewal renews every certificate due; they cannot be chosen.
visit-revocation-phrase-wrong = The revocation phrase does not match. Leave it empty to have a supervisor approve instead.
visit-so-pin-needed = The office's SO PIN is not set at this kiosk (KIOSK_SO_PIN): the PIN cannot be reset here.
visit-address-required = Type the new mailing address.
visit-not-their-organisation = The person does not act for that organisation: open the file of one who does.
visit-document-missing = A paper is missing: { visit-document-name }.
visit-plug-a-blank-token = Plug in a blank token from stock.
visit-no-profile = No certificate profile is made for this class and holder.
visit-one-blank-token = { $count ->
    [one] 1 blank token is
   *[other] { $count } blank tokens are
} plugged in: leave only the one for this certificate.
visit-invoice-organisation-only = Invoice details are for an organisation's application.
visit-chip-failed-read-chip = This document's chip failed its signature check: read the chip again, or a supervisor decides (F6).
visit-cancel-too-late = It is done (issued, revoked or reset): the application cannot be cancelled now.
visit-choose-one-certificate = Choose one certificate: one token is changed, replaced or unlocked at a time.
visit-certificates-of-one-holder = The certificates of one visit must all be the person's, or all one organisation's.
visit-change-keeps-holder-and-class = A change of details keeps the certificate's holder and class; for another, apply for a new certificate.

# The names a refusal gives as an argument (a paper, a step, why the printer did not print),
# chosen by the id the kiosk passes; each refusal refers to them.
visit-document-name = { $document ->
    [signed_application_form] { visit-doc-signed-form }
    [seal_sample_form] { visit-doc-seal-sample }
    [business_licence] { visit-doc-business-licence }
    [legal_representative_id] { visit-doc-legal-representative-id }
    [agent_id] { visit-doc-agent-id }
    [applicant_id] { visit-doc-applicant-id }
   *[other] { $document }
}
visit-step-name = { $current ->
    [certificates] { visit-step-certificates }
    [identity] { visit-step-identity }
    [email] { visit-step-email }
    [consent] { visit-step-consent }
    [photo] { visit-step-photo }
    [details] { visit-step-details }
    [documents] { visit-step-documents }
    [confirmation] { visit-step-confirmation }
    [payment] { visit-step-payment }
    [form] { visit-step-form }
    [approval] { visit-step-approval }
    [recheck] { visit-step-recheck }
    [issuance] { visit-step-issuance }
    [pin_reset] { visit-step-pin-reset }
    [revocation] { visit-step-revocation }
    [address] { visit-step-address }
    [completion] { visit-step-completion }
   *[other] { $current }
}
visit-print-reason = { $reason ->
    [print-error-bad-uri] the printer address in the settings cannot be used
    [print-error-unreachable] the printer cannot be reached
    [print-error-connection-lost] the connection to the printer broke off
    [print-error-timeout] the printer did not answer in time
    [print-error-not-found] there is no such printer
    [print-error-not-accepting] the printer is not taking documents
    [print-error-stopped] the printer is off or paused
    [print-error-busy] the printer is busy
    [print-error-document-refused] the printer cannot print this document
    [print-error-refused] the printer refused the document
    [print-error-canceled] it was cancelled at the printer
    [print-error-aborted] the printer stopped printing it
    [print-error-protocol] the printer's answer was not understood
    [print-error-job-lost] the printer no longer knows the document
    [print-state-failed] the printer did not print it
    [print-state-cancelled] it was cancelled in the print queue
    [print-state-expired] it waited too long in the print queue
   *[other] the printer did not print it
}
visit-organisation-visit-open = The organisation has this service open already, under { $reference }, opened by another of its agents: resume that one from the queue.
visit-form-already-submitted = The signed form was scanned and the application submitted already: nothing to print or scan again. (Should the person's details change, the re-check sends it back to be signed anew.)
