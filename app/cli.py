"""Command-line tasks: `flask --app wsgi load-exercises`, `flask --app wsgi demo-data`."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("load-exercises")
    def load_exercises_command():
        """Load app/content/exercises.toml into the database (insert or update by slug)."""
        from app.library.loader import sync_exercises

        added, updated = sync_exercises()
        click.echo(f"Exercise library: {added} added, {updated} updated.")

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
