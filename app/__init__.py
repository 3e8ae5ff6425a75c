"""KneeReady: warm-ups, daily knee check-ins and pain-gated strength progression for runners."""
from __future__ import annotations

from flask import Flask

from app import config as config_module
from app.extensions import compress, csrf, db, htmx, limiter, login_manager, migrate
from app.urls import App


def create_app(config: dict | None = None) -> Flask:
    """Application factory: config from the environment, overridden by `config`."""
    app = App(
        __name__,
        instance_path=str(config_module.INSTANCE),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config_module.Config)
    app.config.update(config or {})
    config_module.finalize(app.config)
    from app.coach import kept_cards
    from app.progress import memory, snapshots
    from app.reminders import push

    push.configure(app.config, config_module.INSTANCE)
    snapshots.listen()  # every write to a history clears that athlete's cached progress
    kept_cards.listen()  # every write to what a board card shows clears that card
    memory.listen()  # a request that writes recalls no remembered history from then on

    _init_extensions(app)
    _register_blueprints(app)

    from app import assets, cli, errors, refusals, web

    assets.register(app)
    errors.register(app)
    refusals.register(app)
    web.register(app)
    cli.register(app)

    from app.database import setup_engine

    setup_engine(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    from app import mail

    mail.configure(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    from app.auth.routes import sign_in_first

    login_manager.unauthorized_handler(sign_in_first)

    from app.auth import signed_in

    login_manager.user_loader(signed_in.load)


def _register_blueprints(app: Flask) -> None:
    from app.account.routes import bp as account_bp
    from app.auth.password_routes import bp as password_bp
    from app.auth.routes import bp as auth_bp
    from app.checkin.routes import bp as checkin_bp
    from app.coach.athlete_routes import bp as coaches_bp
    from app.coach.digest_routes import bp as digest_bp
    from app.coach.routes import bp as coach_bp
    from app.library.routes import bp as library_bp
    from app.main.routes import bp as main_bp
    from app.profile.routes import bp as profile_bp
    from app.pwa.routes import bp as pwa_bp
    from app.runs.routes import bp as runs_bp
    from app.reminders.routes import bp as reminders_bp
    from app.training.routes import bp as training_bp
    from app.warmup.routes import bp as warmup_bp
    from app.outcomes.coach_routes import bp as coach_outcomes_bp
    from app.outcomes.routes import bp as outcomes_bp

    for blueprint in (main_bp, auth_bp, account_bp, profile_bp, library_bp, checkin_bp, warmup_bp,
                      training_bp, coach_bp, coaches_bp, pwa_bp, runs_bp, outcomes_bp,
                      coach_outcomes_bp, password_bp, reminders_bp, digest_bp):
        app.register_blueprint(blueprint)
