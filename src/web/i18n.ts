/**
 * @module The hosted web journey's labels in English and German, and the web client's error
 * codes ([D] jumio-reference §15). The `locale` parameter of `web.href` picks the language
 * ([D] jumio-reference §4.4: `en`, `de`, `de-DE`, `en_US`…); anything else falls back to English.
 */

/** Languages the mock's web journey speaks. */
export type Language = 'en' | 'de'

/** [D] web-client error codes appended to errorUrl (jumio-reference §15). */
export const ERROR_CODES = [
  9100, 9200, 9210, 9300, 9400, 9800, 9801, 9810, 9820, 9821, 9822, 9835, 9836,
] as const

const EN = {
  title: 'Verify your identity',
  brand: 'Jumio mock: hosted web journey',
  intro: 'Provide each item below by uploading a file or using a sample image, then select Finish.',
  required: 'required',
  optional: 'optional',
  useSample: 'Use sample image',
  chooseFile: 'Choose a file',
  uploading: 'Uploading…',
  uploaded: 'Uploaded',
  uploadFailed: 'Upload rejected',
  notUploaded: 'Not uploaded yet',
  capturedWithSelfie: 'Captured automatically with the selfie (simulated).',
  nothingToCapture: 'This workflow collects nothing through the web channel.',
  outcomeHeading: 'Outcome',
  outcomeLabel: 'Result to simulate',
  keepScenario: "Keep the workflow's scenario",
  finish: 'Finish',
  finishing: 'Submitting…',
  finishHint: 'Finish becomes available once every required item is uploaded.',
  errorHeading: 'Simulate an error',
  errorLabel: 'Error code',
  fail: 'End with this error',
  successHeading: 'Thank you',
  successText: 'Your documents were submitted for verification. You can close this window.',
  errorPageHeading: 'Verification could not be completed',
  errorPageText: 'Something went wrong. Error code:',
  category: {
    ID: 'Identity document',
    SELFIE: 'Selfie',
    FACEMAP: 'Face map',
    DATA: 'Prepared data',
    DOCUMENT: 'Document',
  } as Record<string, string>,
  part: {
    FRONT: 'Front side',
    BACK: 'Back side',
    FACE: 'Photo of your face',
    DOCUMENT: 'Document page',
  } as Record<string, string>,
  codes: {
    9100: 'Error occurred on the server',
    9200: 'Authorization token missing, invalid or expired',
    9210: 'Session expired after the journey started',
    9300: 'Error transmitting an image',
    9400: 'Error during verification',
    9800: 'No network connection',
    9801: 'Unexpected client error',
    9810: 'Problem communicating with the server',
    9820: 'File upload not enabled and no camera',
    9821: 'Biometric face capture failed',
    9822: 'Browser has no camera support',
    9835: 'No acceptable submission in 3 attempts',
    9836: 'Authentication failure',
  } as Record<number, string>,
}

/** The label set; German mirrors English key for key. */
export type Labels = typeof EN

const DE: Labels = {
  title: 'Identität bestätigen',
  brand: 'Jumio-Mock: gehostete Web-Strecke',
  intro:
    'Laden Sie für jeden Punkt unten eine Datei hoch oder verwenden Sie ein Beispielbild und wählen Sie dann Abschließen.',
  required: 'erforderlich',
  optional: 'optional',
  useSample: 'Beispielbild verwenden',
  chooseFile: 'Datei auswählen',
  uploading: 'Wird hochgeladen…',
  uploaded: 'Hochgeladen',
  uploadFailed: 'Upload abgelehnt',
  notUploaded: 'Noch nicht hochgeladen',
  capturedWithSelfie: 'Wird mit dem Selfie automatisch erfasst (simuliert).',
  nothingToCapture: 'Dieser Workflow erfasst nichts über den Web-Kanal.',
  outcomeHeading: 'Ergebnis',
  outcomeLabel: 'Zu simulierendes Ergebnis',
  keepScenario: 'Szenario des Workflows beibehalten',
  finish: 'Abschließen',
  finishing: 'Wird übermittelt…',
  finishHint: 'Abschließen ist möglich, sobald alle erforderlichen Punkte hochgeladen sind.',
  errorHeading: 'Fehler simulieren',
  errorLabel: 'Fehlercode',
  fail: 'Mit diesem Fehler beenden',
  successHeading: 'Vielen Dank',
  successText:
    'Ihre Dokumente wurden zur Prüfung übermittelt. Sie können dieses Fenster schließen.',
  errorPageHeading: 'Die Prüfung konnte nicht abgeschlossen werden',
  errorPageText: 'Es ist ein Fehler aufgetreten. Fehlercode:',
  category: {
    ID: 'Ausweisdokument',
    SELFIE: 'Selfie',
    FACEMAP: 'Gesichtsscan',
    DATA: 'Vorbereitete Daten',
    DOCUMENT: 'Dokument',
  },
  part: {
    FRONT: 'Vorderseite',
    BACK: 'Rückseite',
    FACE: 'Foto Ihres Gesichts',
    DOCUMENT: 'Dokumentseite',
  },
  codes: {
    9100: 'Fehler auf dem Server',
    9200: 'Autorisierungstoken fehlt, ist ungültig oder abgelaufen',
    9210: 'Sitzung nach dem Start abgelaufen',
    9300: 'Fehler beim Übertragen eines Bildes',
    9400: 'Fehler bei der Prüfung',
    9800: 'Keine Netzwerkverbindung',
    9801: 'Unerwarteter Fehler im Client',
    9810: 'Problem bei der Kommunikation mit dem Server',
    9820: 'Datei-Upload nicht aktiviert und keine Kamera',
    9821: 'Biometrische Gesichtserfassung fehlgeschlagen',
    9822: 'Browser unterstützt keine Kamera',
    9835: 'Keine akzeptable Einreichung in 3 Versuchen',
    9836: 'Authentifizierung fehlgeschlagen',
  },
}

/** The language of a locale such as `de`, `de-DE`, `de_AT` or `en-US`; English otherwise. */
export function languageOf(locale: string | undefined): Language {
  return /^de(?:[-_]|$)/i.test(locale?.trim() ?? '') ? 'de' : 'en'
}

/** The labels of a language. */
export function labelsFor(language: Language): Labels {
  return language === 'de' ? DE : EN
}
