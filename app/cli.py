"""Command-line tasks: `flask --app wsgi load-exercises`, `flask --app wsgi demo-data`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask


def register(app: Flask) -> None:
    from app.reminders.cli import reminders_cli

    app.cli.add_command(reminders_cli)

    @app.cli.command("load-exercises")
    def load_exercises_command():
        """Load app/content/exercises.toml into the database (insert or update by slug)."""
        from app.library.loader import sync_exercises

        added, updated = sync_exercises()
        click.echo(f"Exercise library: {added} added, {updated} updated.")

    @app.cli.command("backup")
    @click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(destination: Path | None):
        """Copy the live SQLite database to DESTINATION (default: instance/backups/…)."""
        from app.backup import backup_sqlite, default_destination, sqlite_path

        try:
            source = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
            destination = destination or default_destination(source)
            result = backup_sqlite(source, destination)
        except (ValueError, FileExistsError) as error:
            raise click.ClickException(str(error)) from error
        if result != "ok":
            raise click.ClickException(f"The copy failed its integrity check: {result}")
        click.echo(f"Backed up {source} to {destination} ({destination.stat().st_size:,} bytes, integrity ok).")

    @app.cli.command("demo-data")
    @click.option("--password", default="kneeready-demo", show_default=True,
                  help="Password for every demo account.")
    def demo_data_command(password: str):
        """Create a demo coach with three athletes and four weeks of history; prints the logins."""
        from app.demo import create_demo_data

        logins = create_demo_data(password)
        click.echo("Demo accounts (all with the same password):")
        for role, email in logins:
            click.echo(f"  {role:<8} {email}  /  {password}")
