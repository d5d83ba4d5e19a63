//! One module per screen: its state, how its keys change it, and how it is drawn.

pub mod day_end;
pub mod first_start;
pub mod members;
pub mod new_person;
pub mod photos;
pub mod queue;
pub mod search;
pub mod signin;
pub mod subscriber;
pub mod visit;
