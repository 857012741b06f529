import { LightningElement } from 'lwc';
export default class ProblemOnly extends LightningElement {}
