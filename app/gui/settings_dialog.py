"""Settings: the hub and marketing's pinned key, the rep, uploads and sync timing.

The dialog only collects and checks input; :class:`SettingsChange` says what to apply, and the
window applies it on the write lane (then syncs). IT's configuration file
(:mod:`app.core.itconfig`) presets the hub, key and interval; what it locks is shown
read-only, with a tooltip naming the file.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ConfigError, SatchelError
from app.core.hub import normalise_location
from app.core.itconfig import ITConfig
from app.core.settings import RepSettings, normalise_audiences
from app.core.signing import PublicKey, load_public_key
from app.gui.appearance import APPEARANCES
from app.gui.it_presets import it_public_key, lock_source, lock_tooltip
from app.gui.plain_text import plain_label

PSEUDONYM_NOTE = (
    "Uploads name you by a stable pseudonym; works councils and privacy law may require it."
)
WATCH_LABELS = {
    "auto": "Automatic (poll network drives)",
    "native": "File system events",
    "polling": "Poll every few seconds (network drives)",
}


@dataclass(frozen=True, slots=True)
class SettingsChange:
    rep: RepSettings
    watch_mode: str
    location: str | None  # a new hub location, normalised; None: unchanged
    key: PublicKey | None  # a newly pinned key; None: unchanged
    appearance: str = "system"  # "system", "light" or "dark"

    @property
    def hub_changed(self) -> bool:
        return self.location is not None or self.key is not None


def _is_url(text: str) -> bool:
    return urllib.parse.urlparse(text).scheme in ("http", "https")


class SettingsDialog(QDialog):
    def __init__(
        self,
        *,
        rep: RepSettings,
        location: str | None,
        is_demo: bool,
        pinned: PublicKey | None,
        watch_mode: str,
        it: ITConfig | None = None,
        appearance: str = "system",
        preview_appearance: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._initial_appearance = appearance
        self._preview_appearance = preview_appearance
        self.setAccessibleName("Settings")
        self._location = location if not is_demo else None
        self._is_demo = is_demo
        self._pinned = pinned
        self._new_key: PublicKey | None = None
        self._it = it or ITConfig()
        self._it_key = it_public_key(self._it) if self._it.trusted_key else None
        self.hub_locked = bool(self._it.hub) and self._it.is_locked("hub")
        self.key_locked = self._it_key is not None and self._it.is_locked("trusted_key")
        self.interval_locked = self._it.sync_interval_min is not None and self._it.is_locked(
            "sync_interval_min"
        )

        hub_box = QGroupBox("Company hub", self)
        hub_form = QFormLayout(hub_box)
        if is_demo:
            note = QLabel(
                "You are using the demo library. Enter your company's hub and marketing's "
                "public key (from IT) to get the real collateral.",
                hub_box,
            )
            note.setWordWrap(True)
            hub_form.addRow(note)
        self.location = QLineEdit(self._location or self._it.hub or "", hub_box)
        self.location.setPlaceholderText(r"\\server\share\satchel-hub  or  https://…/hub/")
        self.location.setAccessibleName("Hub location")
        browse = QPushButton("Folder…", hub_box)
        browse.setAccessibleName("Choose the hub folder")
        browse.clicked.connect(self._pick_folder)
        self.browse = browse
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(browse)
        hub_form.addRow(_label("&Location:", self.location), row)
        self.key_path = QLineEdit(hub_box)
        self.key_path.setPlaceholderText("marketing.key.pub")
        self.key_path.setAccessibleName("Public key file")
        self.key_path.editingFinished.connect(self._key_typed)
        pick_key = QPushButton("Key…", hub_box)
        pick_key.setAccessibleName("Choose marketing's public key file")
        pick_key.clicked.connect(self._pick_key)
        self.pick_key = pick_key
        row = QHBoxLayout()
        row.addWidget(self.key_path, 1)
        row.addWidget(pick_key)
        hub_form.addRow(_label("Trusted &key:", self.key_path), row)
        self.fingerprint = QLabel(hub_box)
        self.fingerprint.setAccessibleName("Key fingerprint")
        self.fingerprint.setWordWrap(True)
        hub_form.addRow("Fingerprint:", self.fingerprint)
        self.watch_mode = QComboBox(hub_box)
        self.watch_mode.setAccessibleName("How to watch a hub folder")
        for mode, label in WATCH_LABELS.items():
            self.watch_mode.addItem(label, mode)
        self.watch_mode.setCurrentIndex(max(0, self.watch_mode.findData(watch_mode)))
        hub_form.addRow("&Watch folder:", self.watch_mode)

        rep_box = QGroupBox("You", self)
        rep_form = QFormLayout(rep_box)
        self.rep_name = QLineEdit(rep.rep_name, rep_box)
        self.rep_name.setAccessibleName("Your name")
        rep_form.addRow("&Name:", self.rep_name)
        self.rep_email = QLineEdit(rep.rep_email, rep_box)
        self.rep_email.setAccessibleName("Your e-mail")
        rep_form.addRow("&E-mail:", self.rep_email)
        self.audiences = QLineEdit(", ".join(rep.audience_list), rep_box)
        self.audiences.setAccessibleName("Your audiences")
        self.audiences.setPlaceholderText("e.g. region:DACH, role:SE (empty: every item)")
        self.audiences.setToolTip(
            "Marketing can aim items at audiences; you get those aimed at any of yours, and "
            "those aimed at everyone. Takes effect at the next sync."
        )
        self.audiences.setReadOnly(self._it.is_locked("audiences"))
        rep_form.addRow("&Audiences:", self.audiences)
        self.pseudonymise = QCheckBox("Upload usage under a pseudonym, not my name", rep_box)
        self.pseudonymise.setChecked(rep.pseudonymise)
        self.pseudonymise.setAccessibleName("Pseudonymise uploads")
        rep_form.addRow(self.pseudonymise)
        self.pseudonym_note = QLabel(PSEUDONYM_NOTE, rep_box)
        self.pseudonym_note.setWordWrap(True)
        self.pseudonym_note.setAccessibleName("About pseudonyms")
        self.pseudonymise.setToolTip(PSEUDONYM_NOTE)
        rep_form.addRow(self.pseudonym_note)

        sync_box = QGroupBox("Sync", self)
        sync_form = QFormLayout(sync_box)
        self.interval = QSpinBox(sync_box)
        self.interval.setRange(0, 24 * 60)
        self.interval.setSuffix(" min")
        self.interval.setSpecialValueText("Only on demand")
        self.interval.setValue(rep.sync_interval_min)
        self.interval.setAccessibleName("Sync interval in minutes")
        sync_form.addRow("Sync &every:", self.interval)
        self.stale_days = QSpinBox(sync_box)
        self.stale_days.setRange(1, 365)
        self.stale_days.setSuffix(" days")
        self.stale_days.setValue(rep.stale_after_days)
        self.stale_days.setAccessibleName("Warn when not synced for days")
        sync_form.addRow("Warn a&fter:", self.stale_days)

        view_box = QGroupBox("Appearance", self)
        view_form = QFormLayout(view_box)
        self.appearance = QComboBox(view_box)
        self.appearance.setAccessibleName("Appearance")
        for mode, label in APPEARANCES.items():
            self.appearance.addItem(label, mode)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(appearance)))
        self.appearance.currentIndexChanged.connect(self._appearance_chosen)
        view_form.addRow("&Colours:", self.appearance)

        self.it_note = plain_label(QLabel(self))
        self.it_note.setWordWrap(True)
        self.it_note.setAccessibleName("Set by IT")
        self.it_note.hide()
        self.error = plain_label(QLabel(self))  # may quote a hub location or key text
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.it_note, hub_box, rep_box, sync_box, view_box, self.error, buttons):
            layout.addWidget(w)
        self._apply_locks()
        self._show_fingerprint()
        self.resize(560, self.sizeHint().height())

    # ------------------------------------------------------------ IT's locks

    def _apply_locks(self) -> None:
        it = self._it
        tip = lock_tooltip(it)
        locked: list[str] = []
        if self.hub_locked:
            self.location.setText(it.hub or "")
            self.location.setReadOnly(True)
            self.browse.setEnabled(False)
            locked.append("the hub")
        if self.key_locked:
            shown = it.trusted_key or ""
            self.key_path.setText(shown if "BEGIN PUBLIC KEY" not in shown else "")
            self.key_path.setPlaceholderText("(in IT's configuration file)")
            self.key_path.setReadOnly(True)
            self.pick_key.setEnabled(False)
            locked.append("marketing's key")
        if self.interval_locked and it.sync_interval_min is not None:
            self.interval.setValue(it.sync_interval_min)
            self.interval.setReadOnly(True)
            self.interval.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            locked.append("the sync interval")
        for widget, on in (
            (self.location, self.hub_locked),
            (self.browse, self.hub_locked),
            (self.key_path, self.key_locked),
            (self.pick_key, self.key_locked),
            (self.interval, self.interval_locked),
        ):
            if on:
                widget.setToolTip(tip)
                widget.setAccessibleDescription(tip)
        if locked:
            self.it_note.setText(f"Your IT department set {_join(locked)} ({lock_source(it)}).")
            self.it_note.setToolTip(tip)
            self.it_note.show()

    def locked_fields(self) -> list[QWidget]:
        """The inputs IT locked (read-only or disabled)."""
        out: list[QWidget] = []
        if self.hub_locked:
            out += [self.location, self.browse]
        if self.key_locked:
            out += [self.key_path, self.pick_key]
        if self.interval_locked:
            out.append(self.interval)
        return out

    # ------------------------------------------------------------ key and folder

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Choose the hub folder", self.location.text()
        )
        if folder:
            self.location.setText(folder)

    def _pick_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose marketing's public key", "", "Public keys (*.pub);;All files (*)"
        )
        if path:
            self.key_path.setText(path)
            self._key_typed()

    def _key_typed(self) -> None:
        if self.key_locked:
            return
        text = self.key_path.text().strip()
        self._new_key = None
        self.error.hide()
        if text:
            try:
                self._new_key = load_public_key(Path(text).expanduser())
            except (SatchelError, OSError, ValueError) as exc:
                self.error.setText(f"That key cannot be used: {exc}")
                self.error.show()
        self._show_fingerprint()

    def _show_fingerprint(self) -> None:
        if self.key_locked and self._it_key is not None:
            self.fingerprint.setText(f"{self._it_key.fingerprint} (set by your IT department)")
        elif self._new_key is not None:
            self.fingerprint.setText(f"{self._new_key.fingerprint} (new; check it with IT)")
        elif self._pinned is not None and not self._is_demo:
            self.fingerprint.setText(f"{self._pinned.fingerprint} (pinned)")
        elif self._it_key is not None:
            self.fingerprint.setText(f"{self._it_key.fingerprint} (from your IT department)")
        else:
            self.fingerprint.setText("No key pinned yet")

    # ------------------------------------------------------------ result

    # complexity: one check per field, each with its sentence
    def _check(self) -> SettingsChange:
        text = self.location.text().strip()
        location: str | None = None
        if text:
            checked = not self.hub_locked  # IT's hub is used as it is, reachable or not
            if checked and not _is_url(text) and not Path(text).expanduser().is_dir():
                raise ConfigError(
                    f"The folder {text} does not exist (is the network drive connected?)."
                )
            normal = normalise_location(text)
            if normal != self._location:
                location = normal
        elif not self._is_demo and self._location:
            raise ConfigError("Enter the hub's folder or web address.")
        key = self._new_key
        if self.key_locked:
            key = self._it_key if not self._same_key(self._it_key, self._pinned) else None
        elif self.key_path.text().strip() and key is None:
            raise ConfigError("The key file cannot be read; pick marketing's .pub file.")
        pinned_ok = self._pinned is not None and not self._is_demo
        if location is not None and key is None and not pinned_ok:
            key = self._it_key  # IT's preset
            if key is None:
                raise ConfigError(
                    "Pick marketing's public key (.pub) so Satchel can trust this hub."
                )
        if key is not None and location is None and not (self._location or text):
            raise ConfigError("Enter the hub's folder or web address for this key.")
        audiences = normalise_audiences([self.audiences.text()])
        rep = RepSettings(
            rep_name=self.rep_name.text().strip(),
            rep_email=self.rep_email.text().strip(),
            pseudonymise=self.pseudonymise.isChecked(),
            sync_interval_min=self.interval.value(),
            stale_after_days=self.stale_days.value(),
            audiences=audiences,
        )
        mode = str(self.watch_mode.currentData())
        return SettingsChange(
            rep=rep,
            watch_mode=mode,
            location=location,
            key=key,
            appearance=str(self.appearance.currentData()),
        )

    def _appearance_chosen(self, _index: int) -> None:
        """Applied live, so the rep sees the choice; Cancel puts the old one back."""
        if self._preview_appearance is not None:
            self._preview_appearance(str(self.appearance.currentData()))

    def reject(self) -> None:
        if self._preview_appearance is not None and (
            self.appearance.currentData() != self._initial_appearance
        ):
            self._preview_appearance(self._initial_appearance)
        super().reject()

    def _same_key(self, a: PublicKey | None, b: PublicKey | None) -> bool:
        return a is not None and b is not None and not self._is_demo and a.raw == b.raw

    def _try_accept(self) -> None:
        try:
            self._change = self._check()
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()

    def value(self) -> SettingsChange:
        return self._change


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic focuses ``buddy`` (a row whose field is a layout)."""
    label = QLabel(text, buddy.parentWidget())
    label.setBuddy(buddy)
    return label


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
