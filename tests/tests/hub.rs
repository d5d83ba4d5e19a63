//! The hub's database contract on a real PostgreSQL (the sync crate runs it on SQLite): each test
//! starts a private cluster of its own, stopped when the test ends.

use sync::hub::contract;
use sync::hub::{Database, pg::PgDb};
use tests::postgres::Postgres;

fn on_postgres(test: impl FnOnce(contract::Open<'_>)) {
    let pg = Postgres::start();
    let url = pg.new_database();
    test(&|| Box::new(PgDb::connect(&url).expect("connect")) as Box<dyn Database>);
}

#[test]
fn postgres_keeps_projects_and_shares() {
    on_postgres(contract::keeps_projects_and_shares);
}

#[test]
fn postgres_refuses_and_keeps_nothing() {
    on_postgres(contract::refuses_and_keeps_nothing);
}

#[test]
fn postgres_two_hub_processes_keep_a_message_once() {
    on_postgres(contract::two_hub_processes_keep_a_message_once);
}

#[test]
fn postgres_keeps_states_devices_and_compacts() {
    on_postgres(contract::keeps_states_devices_and_compacts);
}

#[test]
fn postgres_closes_old_journals_and_recloses_late_ones() {
    on_postgres(contract::closes_old_journals_and_recloses_late_ones);
}

#[test]
fn postgres_lists_conflicts_across_offices() {
    on_postgres(contract::lists_conflicts_across_offices);
}
