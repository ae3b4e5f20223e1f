"""Small dialogs that collect what a rep action needs: send, flag, request, new kit.

Each returns a plain dataclass (or None when cancelled); the work is done elsewhere
(:mod:`app.gui.actions`). Input is checked here so an action never starts half-filled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ConfigError
from app.core.mail_draft import check_addresses
from app.core.usage.batch import FLAG_REASONS
from app.gui.appearance import make_primary
from app.gui.item_data import human_size
from app.gui.plain_text import plain_label

LARGE_MAIL_BYTES = 20 * 1024 * 1024

FLAG_LABELS = {
    "outdated": "Outdated",
    "incorrect": "Incorrect or misleading",
    "other": "Something else",
}


@dataclass(frozen=True, slots=True)
class SendRequest:
    recipients: list[str]
    account: str | None
    subject: str
    message: str


@dataclass(frozen=True, slots=True)
class FlagRequest:
    reason: str
    note: str


@dataclass(frozen=True, slots=True)
class MaterialRequest:
    text: str
    account: str | None
    needed_by: str | None


def subject_for(titles: Sequence[str]) -> str:
    """ "First title (+2 more)": a subject a customer can read, not every title joined."""
    if not titles:
        return ""
    more = len(titles) - 1
    return titles[0] if more == 0 else f"{titles[0]} (+{more} more)"


def recipients_from(text: str) -> list[str]:
    """The addresses typed in the To field, or ConfigError with a sentence a rep understands."""
    if not any(part.strip() for part in re.split(r"[,;]", text)):
        raise ConfigError("Add the e-mail address of at least one recipient.")
    return check_addresses([text])


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None, *, accept_text: str = "OK") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = plain_label(QLabel(self))
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.accept_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.accept_button.setText(accept_text)
        self.accept_button.setDefault(True)
        if accept_text != "OK":
            make_primary(self.accept_button)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _add(self, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label.rstrip(":").replace("&", ""))
        self.form.addRow(label, widget)

    def _check(self) -> None:
        """Raise ConfigError with one sentence when the input is not usable."""

    def _try_accept(self) -> None:
        try:
            self._check()
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()

    def _recheck(self, *_args: object) -> None:
        """Once a problem is shown, it follows the input: it changes or clears as it is fixed."""
        if not self.error.isVisibleTo(self):
            return
        try:
            self._check()
        except ConfigError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.error.hide()


class SendDialog(_Form):
    """Recipients, account, subject and message of an e-mail draft with the items attached."""

    def __init__(
        self,
        titles: Sequence[str],
        rep_name: str,
        parent: QWidget | None = None,
        *,
        total_size: int | None = None,
    ) -> None:
        super().__init__("Send to a prospect", parent, accept_text="Create draft")
        count = len(titles)
        files = "1 attachment" if count == 1 else f"{count} attachments"
        size = f" ({human_size(total_size)} in total)" if total_size is not None else ""
        self.summary = plain_label(
            QLabel(
                f"A draft with {files}{size} opens in your mail program; it works offline "
                "and you can still edit it there before sending.",
                self,
            )
        )
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Attachments")
        self.form.addRow(self.summary)
        if total_size is not None and total_size > LARGE_MAIL_BYTES:
            large = QLabel(
                f"Many mail servers refuse messages over {human_size(LARGE_MAIL_BYTES)}; "
                "consider sending fewer files.",
                self,
            )
            large.setWordWrap(True)
            large.setAccessibleName("Size warning")
            self.form.addRow(large)
        self.recipients = QLineEdit(self)
        self.recipients.setPlaceholderText("name@customer.example, another@customer.example")
        self._add("&To:", self.recipients)
        self.account = QLineEdit(self)
        self.account.setPlaceholderText("Customer account (optional)")
        self._add("&Account:", self.account)
        self.subject = QLineEdit(subject_for(titles), self)
        self._add("&Subject:", self.subject)
        self.message = QPlainTextEdit(self)
        lines = "\n".join(f"- {t}" for t in titles)
        sign = f"\n\nBest regards,\n{rep_name}" if rep_name else ""
        self.message.setPlainText(f"Hello,\n\nplease find attached:\n{lines}{sign}")
        self._add("&Message:", self.message)
        self.recipients.textChanged.connect(self._recheck)
        self.subject.textChanged.connect(self._recheck)
        self.recipients.setFocus()
        self.resize(540, 420)

    def _check(self) -> None:
        recipients_from(self.recipients.text())
        if not self.subject.text().strip():
            raise ConfigError("Give the message a subject.")

    def value(self) -> SendRequest:
        return SendRequest(
            recipients=recipients_from(self.recipients.text()),
            account=self.account.text().strip() or None,
            subject=self.subject.text().strip(),
            message=self.message.toPlainText(),
        )


class FlagDialog(_Form):
    """Why an item is wrong (outdated, incorrect, other) and a note for marketing."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__("Flag for marketing", parent)
        about = plain_label(QLabel(f"Tell marketing what is wrong with “{title}”.", self))
        about.setWordWrap(True)
        self.form.addRow(about)
        self.reason = QComboBox(self)
        for reason in FLAG_REASONS:
            self.reason.addItem(FLAG_LABELS.get(reason, reason.capitalize()), reason)
        self._add("&Reason:", self.reason)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("What should change? (optional for outdated)")
        self._add("&Note:", self.note)
        self.note.textChanged.connect(self._recheck)
        self.reason.currentIndexChanged.connect(self._recheck)

    def _check(self) -> None:
        if self.reason.currentData() != "outdated" and not self.note.toPlainText().strip():
            raise ConfigError("Add a note so marketing knows what to fix.")

    def value(self) -> FlagRequest:
        return FlagRequest(str(self.reason.currentData()), self.note.toPlainText().strip())


class RequestDialog(_Form):
    """Material that does not exist yet: what, for which account, needed by when."""

    def __init__(self, what: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Request material", parent)
        self.what = QPlainTextEdit(self)
        self.what.setPlainText(what)
        self.what.setPlaceholderText("e.g. a case study for German hospitals")
        self._add("&What do you need?", self.what)
        self.what.textChanged.connect(self._recheck)
        self.account = QLineEdit(self)
        self.account.setPlaceholderText("Customer account (optional)")
        self._add("&Account:", self.account)
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.has_date = QCheckBox("By", row)
        self.has_date.setAccessibleName("Needed by a date")
        self.needed_by = QDateEdit(QDate.currentDate().addDays(14), row)
        self.needed_by.setCalendarPopup(True)
        self.needed_by.setEnabled(False)
        self.needed_by.setAccessibleName("Needed by")
        self.has_date.toggled.connect(self.needed_by.setEnabled)
        box.addWidget(self.has_date)
        box.addWidget(self.needed_by, 1)
        self.form.addRow("&Needed:", row)

    def _check(self) -> None:
        if not self.what.toPlainText().strip():
            raise ConfigError("Say what you need.")

    def value(self) -> MaterialRequest:
        needed = self.needed_by.date().toString("yyyy-MM-dd") if self.has_date.isChecked() else None
        return MaterialRequest(
            self.what.toPlainText().strip(), self.account.text().strip() or None, needed
        )


class NewKitDialog(_Form):
    """A name for a new kit, or a new name for an existing one (``current``)."""

    def __init__(
        self, existing: Sequence[str], parent: QWidget | None = None, *, current: str = ""
    ) -> None:
        title = f"Rename the kit “{current}”" if current else "New meeting kit"
        super().__init__(title, parent, accept_text="Rename" if current else "Create kit")
        self._existing = {n.casefold() for n in existing if n != current}
        self.name = QLineEdit(current, self)
        self.name.setPlaceholderText("e.g. Klinikum Sankt Anna kick-off")
        self.name.selectAll()
        self._add("&Name:", self.name)
        self.name.textChanged.connect(self._recheck)
        # wide enough for the placeholder and a long name, never the 200 px stub it was
        metrics = self.name.fontMetrics()
        self.name.setMinimumWidth(metrics.horizontalAdvance(self.name.placeholderText()) + 40)

    def _check(self) -> None:
        name = self.name.text().strip()
        if not name:
            raise ConfigError("A kit needs a name.")
        if name.casefold() in self._existing:
            raise ConfigError(f"There is already a kit called “{name}”.")

    def value(self) -> str:
        return self.name.text().strip()
