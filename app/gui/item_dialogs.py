"""Small dialogs that collect what a rep action needs: send, flag, request, new kit.

Each returns a plain dataclass (or None when cancelled); the work is done elsewhere
(:mod:`app.gui.actions`). Input is checked here so an action never starts half-filled.
"""

from __future__ import annotations

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
from app.gui.plain_text import plain_label

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


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
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


class SendDialog(_Form):
    """Recipients, account, subject and message of an e-mail draft with the items attached."""

    def __init__(self, titles: Sequence[str], rep_name: str, parent: QWidget | None = None) -> None:
        super().__init__("Send to a prospect", parent)
        intro = QLabel(
            f"A draft with {len(titles)} attachment(s) opens in your mail program; "
            "it works offline and you can still edit it before sending.",
            self,
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.recipients = QLineEdit(self)
        self.recipients.setPlaceholderText("name@customer.example, another@customer.example")
        self._add("&To:", self.recipients)
        self.account = QLineEdit(self)
        self.account.setPlaceholderText("Customer account (optional)")
        self._add("&Account:", self.account)
        self.subject = QLineEdit(", ".join(titles), self)
        self._add("&Subject:", self.subject)
        self.message = QPlainTextEdit(self)
        lines = "\n".join(f"- {t}" for t in titles)
        sign = f"\n\nBest regards,\n{rep_name}" if rep_name else ""
        self.message.setPlainText(f"Hello,\n\nplease find attached:\n{lines}{sign}")
        self._add("&Message:", self.message)
        self.resize(520, 420)

    def _check(self) -> None:
        check_addresses([self.recipients.text()])
        if not self.subject.text().strip():
            raise ConfigError("Give the message a subject.")

    def value(self) -> SendRequest:
        return SendRequest(
            recipients=check_addresses([self.recipients.text()]),
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
    def __init__(self, existing: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("New meeting kit", parent)
        self._existing = {n.casefold() for n in existing}
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Klinikum Sankt Anna kick-off")
        self._add("&Name:", self.name)

    def _check(self) -> None:
        name = self.name.text().strip()
        if not name:
            raise ConfigError("A kit needs a name.")
        if name.casefold() in self._existing:
            raise ConfigError(f"There is already a kit called {name!r}.")

    def value(self) -> str:
        return self.name.text().strip()
